//! An OpenAPI document from the same annotations the routes come from.
//!
//! The book runs `protoc-gen-swagger` to write `product_info.swagger.json` (Swagger 2.0).
//! Here the gateway writes an OpenAPI 3 document at startup from its [`HttpRoute`]s and the
//! message descriptors, so the description cannot drift from what is served.

use std::collections::BTreeMap;

use prost_reflect::{FieldDescriptor, Kind, MessageDescriptor};
use serde_json::{Value, json};

use super::routes::HttpRoute;

/// The OpenAPI 3 document for `routes`.
pub fn document(routes: &[HttpRoute]) -> Value {
    let mut schemas = BTreeMap::new();
    let mut paths = serde_json::Map::new();
    for route in routes {
        let input = route.method.input();
        let output = route.method.output();
        collect_schemas(&input, &mut schemas);
        collect_schemas(&output, &mut schemas);

        let parameters: Vec<Value> = route
            .path_fields()
            .into_iter()
            .map(|name| {
                let schema = input
                    .get_field_by_name(name)
                    .map_or_else(|| json!({"type": "string"}), |field| field_schema(&field));
                json!({"name": name, "in": "path", "required": true, "schema": schema})
            })
            .collect();
        let mut operation = json!({
            "operationId": route.method.name(),
            "tags": [route.method.parent_service().name()],
            "responses": {
                "200": {
                    "description": "A successful response.",
                    "content": {"application/json": {"schema": reference(&output)}},
                },
                "default": {
                    "description": "An error response: the gRPC status, mapped to HTTP.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}},
                },
            },
        });
        if !parameters.is_empty() {
            operation["parameters"] = Value::Array(parameters);
        }
        if route.body == "*" {
            operation["requestBody"] = json!({
                "required": true,
                "content": {"application/json": {"schema": reference(&input)}},
            });
        }
        let path = paths
            .entry(route.template.clone())
            .or_insert_with(|| json!({}));
        path[route.verb.as_str().to_lowercase()] = operation;
    }
    schemas.insert(
        "Status".to_owned(),
        json!({
            "type": "object",
            "properties": {
                "code": {"type": "integer", "format": "int32"},
                "message": {"type": "string"},
                "details": {"type": "array", "items": {"type": "object"}},
            },
        }),
    );
    // Titled after the .proto file, as protoc-gen-swagger titles its output.
    let title = routes
        .first()
        .map(|route| route.method.parent_file().name().to_owned())
        .unwrap_or_default();
    json!({
        "openapi": "3.0.3",
        "info": {"title": title, "version": "version not set"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// The schema of a message: a reference to its component, or for a wrapper of the
/// well-known types the JSON value it maps to (a `google.protobuf.StringValue` is a bare
/// string in proto3 JSON, which is what chapter 8's `addProduct` answers).
fn reference(message: &MessageDescriptor) -> Value {
    wrapper_schema(message)
        .unwrap_or_else(|| json!({"$ref": format!("#/components/schemas/{}", message.full_name())}))
}

/// The JSON schema of a `google.protobuf.*Value` wrapper: that of its one `value` field.
fn wrapper_schema(message: &MessageDescriptor) -> Option<Value> {
    let wrapped = message.full_name().strip_prefix("google.protobuf.")?;
    if !wrapped.ends_with("Value") {
        return None;
    }
    message
        .get_field_by_name("value")
        .map(|field| field_schema(&field))
}

fn collect_schemas(message: &MessageDescriptor, schemas: &mut BTreeMap<String, Value>) {
    if schemas.contains_key(message.full_name()) || wrapper_schema(message).is_some() {
        return;
    }
    schemas.insert(message.full_name().to_owned(), Value::Null);
    let mut properties = serde_json::Map::new();
    for field in message.fields() {
        if let Kind::Message(nested) = field.kind() {
            collect_schemas(&nested, schemas);
        }
        properties.insert(field.json_name().to_owned(), field_schema(&field));
    }
    schemas.insert(
        message.full_name().to_owned(),
        json!({"type": "object", "properties": properties}),
    );
}

fn field_schema(field: &FieldDescriptor) -> Value {
    let single = match field.kind() {
        Kind::String => json!({"type": "string"}),
        Kind::Bool => json!({"type": "boolean"}),
        Kind::Bytes => json!({"type": "string", "format": "byte"}),
        Kind::Float => json!({"type": "number", "format": "float"}),
        Kind::Double => json!({"type": "number", "format": "double"}),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => {
            json!({"type": "integer", "format": "int32"})
        }
        Kind::Uint32 | Kind::Fixed32 => json!({"type": "integer", "format": "int64"}),
        // proto3 JSON writes 64-bit integers as strings: a JSON number loses precision.
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 | Kind::Uint64 | Kind::Fixed64 => {
            json!({"type": "string", "format": "int64"})
        }
        Kind::Enum(enumeration) => {
            let names: Vec<String> = enumeration
                .values()
                .map(|value| value.name().to_owned())
                .collect();
            json!({"type": "string", "enum": names})
        }
        Kind::Message(message) => reference(&message),
    };
    if field.is_list() {
        json!({"type": "array", "items": single})
    } else {
        single
    }
}
