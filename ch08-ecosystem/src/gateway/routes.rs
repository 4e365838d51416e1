//! HTTP routes read from the `google.api.http` options in the service descriptors.
//!
//! grpc-gateway generates Go code from these options ahead of time; here the gateway reads
//! them at startup from the descriptor set compiled into the binary, so a new annotated
//! method is a new route without touching the gateway.

use prost_reflect::{DescriptorPool, DynamicMessage, MethodDescriptor, Value};

/// The option that carries a method's HTTP rule.
const HTTP_OPTION: &str = "google.api.http";

/// The HTTP verbs a rule can name, with the HttpRule field that holds each one's template.
const VERBS: [(&str, http::Method); 5] = [
    ("get", http::Method::GET),
    ("put", http::Method::PUT),
    ("post", http::Method::POST),
    ("delete", http::Method::DELETE),
    ("patch", http::Method::PATCH),
];

/// One annotated method: which HTTP request maps to which gRPC call.
#[derive(Debug, Clone)]
pub struct HttpRoute {
    /// The HTTP method, e.g. `POST`.
    pub verb: http::Method,
    /// The URL path template, e.g. `/v1/product/{value}`; a `{field}` names a request field.
    pub template: String,
    /// Where the HTTP body goes: `*` for the whole request message, a field name for one
    /// field, empty for no body.
    pub body: String,
    /// The gRPC method the route calls.
    pub method: MethodDescriptor,
}

impl HttpRoute {
    /// The gRPC path of the method, e.g. `/ecommerce.ProductInfo/addProduct`.
    pub fn grpc_path(&self) -> String {
        format!(
            "/{}/{}",
            self.method.parent_service().full_name(),
            self.method.name()
        )
    }

    /// The request fields named in the path template, in order.
    pub fn path_fields(&self) -> Vec<&str> {
        self.template
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(field, _)| field))
            .collect()
    }
}

/// The routes of every annotated method of `service` (a full name like
/// `ecommerce.ProductInfo`) in `pool`. Rules the gateway cannot serve (custom verbs, field
/// paths like `{name=shelves/*}`) are logged and left out.
pub fn routes(pool: &DescriptorPool, service: &str) -> Vec<HttpRoute> {
    let (Some(service), Some(option)) = (
        pool.get_service_by_name(service),
        pool.get_extension_by_name(HTTP_OPTION),
    ) else {
        return Vec::new();
    };
    service
        .methods()
        .filter_map(|method| {
            let options = method.options();
            if !options.has_extension(&option) {
                return None;
            }
            let rule = options.get_extension(&option);
            route(method, rule.as_message()?)
        })
        .collect()
}

fn route(method: MethodDescriptor, rule: &DynamicMessage) -> Option<HttpRoute> {
    let text = |field: &str| match rule.get_field_by_name(field).as_deref() {
        Some(Value::String(text)) => text.clone(),
        _ => String::new(),
    };
    let Some((verb, template)) = VERBS
        .into_iter()
        .find(|(field, _)| rule.has_field_by_name(field))
        .map(|(field, verb)| (verb, text(field)))
    else {
        tracing::warn!(
            "{}: only get/put/post/delete/patch rules are served",
            method.full_name()
        );
        return None;
    };
    if template.contains(['=', '*', ':']) {
        tracing::warn!(
            "{}: path template {template} is not served",
            method.full_name()
        );
        return None;
    }
    Some(HttpRoute {
        verb,
        template,
        body: text("body"),
        method,
    })
}
