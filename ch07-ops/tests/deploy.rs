//! `deploy/` checked against the code: the Dockerfile, the Kubernetes manifests and the GitHub
//! workflow.
//!
//! No Docker engine or cluster runs in CI, so nothing here builds an image or applies a
//! manifest. Instead the tests read the files and check what would otherwise break only in a
//! cluster: the ports are the ones the binaries use, the labels, names and port names that tie
//! the Deployment, the Services and the Ingress together agree, the containers' `args` parse
//! with the binaries' own parsers, the client balances over the headless Service's pods, and
//! every container runs as a non-root user. (`deploy/validate` checks the fields themselves
//! against Kubernetes' schemas.)

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use ch05_advanced::loadbalancing::Policy;
use ch07_ops::balancing::Target;
use ch07_ops::cli::{ClientArgs, ServerArgs};
use ch07_ops::metrics::{CLIENT_METRICS_PORT, SERVER_METRICS_PORT};
use clap::Parser;
use common::args::BOOK_PORT;
use serde::Deserialize;
use serde_json::Value;

/// The repository root: the Dockerfile's build context and where `.github/` lives.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("ch07-ops sits inside the workspace")
        .to_path_buf()
}

/// A file of the repository, by its path from the root.
fn read(path: &str) -> String {
    let full = repo_root().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

/// One YAML document, with the file it came from for the error messages.
struct Document {
    origin: String,
    value: Value,
}

impl Document {
    /// The value at a JSON pointer such as `/spec/template/spec/containers/0`.
    fn get(&self, pointer: &str) -> &Value {
        self.value
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{} has no {pointer}", self.origin))
    }

    fn str(&self, pointer: &str) -> &str {
        self.get(pointer)
            .as_str()
            .unwrap_or_else(|| panic!("{}: {pointer} is not a string", self.origin))
    }

    fn u64(&self, pointer: &str) -> u64 {
        self.get(pointer)
            .as_u64()
            .unwrap_or_else(|| panic!("{}: {pointer} is not a number", self.origin))
    }

    fn array(&self, pointer: &str) -> &[Value] {
        self.get(pointer)
            .as_array()
            .unwrap_or_else(|| panic!("{}: {pointer} is not a list", self.origin))
    }

    /// A container's `args`, as the strings the binary gets after its name.
    fn args(&self, container: &str) -> Vec<String> {
        self.array(&format!("{container}/args"))
            .iter()
            .map(|arg| {
                arg.as_str()
                    .unwrap_or_else(|| panic!("{}: every arg must be a string", self.origin))
                    .to_owned()
            })
            .collect()
    }
}

/// Every document of a multi-document YAML file.
fn documents(path: &str) -> Vec<Document> {
    let text = read(path);
    serde_yaml_ng::Deserializer::from_str(&text)
        .map(|document| {
            let value = Value::deserialize(document)
                .unwrap_or_else(|error| panic!("{path} is not valid YAML: {error}"));
            let kind = value["kind"].as_str().unwrap_or("document").to_owned();
            Document {
                origin: format!("{kind} in {path}"),
                value,
            }
        })
        .collect()
}

/// The Kubernetes objects of `deploy/k8s/`.
struct Manifests {
    deployment: Document,
    /// `productinfo`, the ClusterIP Service.
    service: Document,
    /// `productinfo-headless`, whose DNS name lists the pods.
    headless: Document,
    job: Document,
    ingress: Document,
}

impl Manifests {
    fn load() -> Self {
        let mut all: Vec<Document> = ["server.yaml", "client-job.yaml", "ingress.yaml"]
            .iter()
            .flat_map(|file| documents(&format!("ch07-ops/deploy/k8s/{file}")))
            .collect();
        let mut take = |kind: &str, name: Option<&str>| {
            let index = all
                .iter()
                .position(|document| {
                    document.value["kind"] == kind
                        && name.is_none_or(|name| document.value["metadata"]["name"] == name)
                })
                .unwrap_or_else(|| panic!("no {kind} {name:?} in ch07-ops/deploy/k8s/"));
            all.remove(index)
        };
        Manifests {
            deployment: take("Deployment", None),
            service: take("Service", Some("productinfo")),
            headless: take("Service", Some("productinfo-headless")),
            job: take("Job", None),
            ingress: take("Ingress", None),
        }
    }
}

/// The one container of a pod template.
const CONTAINER: &str = "/spec/template/spec/containers/0";

/// The entry named `name` of a list of ports (`containerPort`s or a Service's ports).
fn port_named<'a>(ports: &'a [Value], name: &str, origin: &str) -> &'a Value {
    ports
        .iter()
        .find(|port| port["name"] == name)
        .unwrap_or_else(|| panic!("{origin} has no port named {name:?}"))
}

/// The names of a list of ports.
fn port_names(ports: &[Value]) -> BTreeSet<&str> {
    ports
        .iter()
        .filter_map(|port| port["name"].as_str())
        .collect()
}

#[test]
fn manifests_use_current_api_versions() {
    let manifests = Manifests::load();
    assert_eq!(manifests.deployment.str("/apiVersion"), "apps/v1");
    assert_eq!(manifests.service.str("/apiVersion"), "v1");
    assert_eq!(manifests.job.str("/apiVersion"), "batch/v1");
    assert_eq!(
        manifests.ingress.str("/apiVersion"),
        "networking.k8s.io/v1",
        "the book's extensions/v1beta1 Ingress was removed in Kubernetes 1.22"
    );
}

#[test]
fn deployment_exposes_the_grpc_and_metrics_ports() {
    let deployment = Manifests::load().deployment;
    let ports = deployment.array(&format!("{CONTAINER}/ports"));
    let grpc = port_named(ports, "grpc", &deployment.origin);
    assert_eq!(grpc["containerPort"], u64::from(BOOK_PORT));
    let metrics = port_named(ports, "metrics", &deployment.origin);
    assert_eq!(metrics["containerPort"], u64::from(SERVER_METRICS_PORT));
    assert_eq!(
        deployment.str("/spec/template/metadata/annotations/prometheus.io~1port"),
        SERVER_METRICS_PORT.to_string(),
        "Prometheus must scrape the metrics port"
    );
}

#[test]
fn service_selects_the_deployment_pods_and_its_ports() {
    let Manifests {
        deployment,
        service,
        ..
    } = Manifests::load();
    let selector = deployment.get("/spec/selector/matchLabels");
    let labels = deployment.get("/spec/template/metadata/labels");
    assert_eq!(selector, labels, "the Deployment must select its own pods");
    assert_eq!(
        service.get("/spec/selector"),
        selector,
        "the Service must select the Deployment's pods"
    );

    let service_ports = service.array("/spec/ports");
    let grpc = port_named(service_ports, "grpc", &service.origin);
    assert_eq!(grpc["port"], u64::from(BOOK_PORT));
    let metrics = port_named(service_ports, "metrics", &service.origin);
    assert_eq!(metrics["port"], u64::from(SERVER_METRICS_PORT));

    let container_ports = deployment.array(&format!("{CONTAINER}/ports"));
    for port in service_ports {
        let target = port["targetPort"]
            .as_str()
            .expect("every Service targetPort names a containerPort");
        assert!(
            port_names(container_ports).contains(target),
            "the Service's targetPort {target:?} names no containerPort of the Deployment"
        );
    }
}

#[test]
fn probes_call_the_grpc_health_service_on_the_grpc_port() {
    let deployment = Manifests::load().deployment;
    for probe in ["readinessProbe", "livenessProbe"] {
        assert_eq!(
            deployment.u64(&format!("{CONTAINER}/{probe}/grpc/port")),
            u64::from(BOOK_PORT),
            "{probe} must be a gRPC probe on the gRPC port"
        );
        let service = deployment
            .value
            .pointer(&format!("{CONTAINER}/{probe}/grpc/service"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        assert!(
            ["", "ecommerce.ProductInfo"].contains(&service),
            "{probe} asks about {service:?}, which the server's health service does not report"
        );
        assert!(
            deployment.u64(&format!("{CONTAINER}/{probe}/timeoutSeconds")) >= 1,
            "{probe} needs a timeout"
        );
    }
    let gives_up_after = |probe: &str| {
        deployment.u64(&format!("{CONTAINER}/{probe}/periodSeconds"))
            * deployment.u64(&format!("{CONTAINER}/{probe}/failureThreshold"))
    };
    assert!(
        gives_up_after("readinessProbe") < gives_up_after("livenessProbe"),
        "a pod that stops answering must leave the Services' answers before it is restarted"
    );
}

#[test]
fn deployment_runs_three_replicas() {
    let deployment = Manifests::load().deployment;
    assert_eq!(deployment.u64("/spec/replicas"), 3);
}

#[test]
fn headless_service_lists_every_pod_on_the_grpc_port() {
    let Manifests {
        deployment,
        headless,
        ..
    } = Manifests::load();
    assert_eq!(
        headless.str("/spec/clusterIP"),
        "None",
        "only a headless Service's DNS name answers with the pods' addresses"
    );
    assert_eq!(
        headless.get("/spec/selector"),
        deployment.get("/spec/template/metadata/labels"),
        "the headless Service must select the Deployment's pods"
    );
    let grpc = port_named(headless.array("/spec/ports"), "grpc", &headless.origin);
    let container_grpc = port_named(
        deployment.array(&format!("{CONTAINER}/ports")),
        "grpc",
        &deployment.origin,
    );
    assert_eq!(
        grpc["port"], container_grpc["containerPort"],
        "clients dial the pods themselves, so the Service's port must be the containerPort"
    );
    assert_eq!(grpc["targetPort"], "grpc");
}

#[test]
fn server_args_parse_with_the_server_parser() {
    let deployment = Manifests::load().deployment;
    let args = deployment.args(CONTAINER);
    let parsed = ServerArgs::try_parse_from(std::iter::once("ch07-server".to_owned()).chain(args))
        .unwrap_or_else(|error| panic!("ch07-server rejects the Deployment's args: {error}"));
    let expect_everywhere = |addr: SocketAddr, port: u16, what: &str| {
        assert!(
            addr.ip().is_unspecified(),
            "{what} listens on {addr}: only 0.0.0.0 is reachable from outside the pod"
        );
        assert_eq!(addr.port(), port, "{what} listens on the wrong port");
    };
    expect_everywhere(parsed.server.addr, BOOK_PORT, "gRPC");
    expect_everywhere(parsed.metrics_addr, SERVER_METRICS_PORT, "/metrics");
}

#[test]
fn client_job_balances_over_the_headless_service() {
    let Manifests {
        deployment,
        headless,
        job,
        ..
    } = Manifests::load();
    let args = job.args(CONTAINER);
    let parsed = ClientArgs::try_parse_from(std::iter::once("ch07-client".to_owned()).chain(args))
        .unwrap_or_else(|error| panic!("ch07-client rejects the Job's args: {error}"));
    let grpc = port_named(headless.array("/spec/ports"), "grpc", &headless.origin);
    let port = grpc["port"]
        .as_u64()
        .expect("the headless Service's grpc port");
    assert_eq!(
        parsed.target().expect("the Job's --addr is a target"),
        Target::Dns {
            name: headless.str("/metadata/name").to_owned(),
            port: u16::try_from(port).expect("a port"),
        },
        "the client must resolve the headless Service's name, to find every pod"
    );
    assert_eq!(
        parsed.lb,
        Some(Policy::RoundRobin),
        "pick_first would send every round to one pod"
    );
    assert!(parsed.resolve.is_empty(), "in a cluster, DNS answers");
    let rounds = parsed
        .rounds
        .expect("a Job's pods must finish: the client stops after --rounds");
    assert_eq!(
        rounds % deployment.u64("/spec/replicas"),
        0,
        "each replica gets as many rounds"
    );
    assert_eq!(parsed.metrics_addr.port(), CLIENT_METRICS_PORT);
    let metrics = port_named(
        job.array(&format!("{CONTAINER}/ports")),
        "metrics",
        &job.origin,
    );
    assert_eq!(metrics["containerPort"], u64::from(CLIENT_METRICS_PORT));
    assert_eq!(job.str("/spec/template/spec/restartPolicy"), "Never");
    assert_eq!(
        job.u64("/spec/completions"),
        5,
        "the book's five completions"
    );
}

#[test]
fn ingress_routes_grpc_to_the_service() {
    let Manifests {
        service, ingress, ..
    } = Manifests::load();
    assert_eq!(
        ingress.str("/metadata/annotations/nginx.ingress.kubernetes.io~1backend-protocol"),
        "GRPC",
        "without it NGINX would speak HTTP/1.1 to the server"
    );
    assert_eq!(ingress.str("/spec/ingressClassName"), "nginx");
    let rules = ingress.array("/spec/rules");
    assert!(!rules.is_empty(), "the Ingress has no rules");
    for (index, _) in rules.iter().enumerate() {
        let paths = ingress.array(&format!("/spec/rules/{index}/http/paths"));
        for (path, _) in paths.iter().enumerate() {
            let backend = format!("/spec/rules/{index}/http/paths/{path}/backend/service");
            assert_eq!(
                ingress.str(&format!("{backend}/name")),
                service.str("/metadata/name"),
                "the Ingress must route to the Service"
            );
            let port = ingress.str(&format!("{backend}/port/name"));
            assert!(
                port_names(service.array("/spec/ports")).contains(port),
                "the Ingress names port {port:?}, which the Service does not have"
            );
        }
    }
}

#[test]
fn every_container_runs_as_non_root() {
    let Manifests {
        deployment, job, ..
    } = Manifests::load();
    for workload in [&deployment, &job] {
        let pod = "/spec/template/spec/securityContext";
        let container = format!("{CONTAINER}/securityContext");
        let setting = |field: &str| {
            workload
                .value
                .pointer(&format!("{container}/{field}"))
                .or_else(|| workload.value.pointer(&format!("{pod}/{field}")))
        };
        assert_eq!(
            setting("runAsNonRoot"),
            Some(&Value::Bool(true)),
            "{} must set runAsNonRoot",
            workload.origin
        );
        if let Some(user) = setting("runAsUser") {
            assert_ne!(user, 0, "{} runs as root", workload.origin);
        }
        assert_eq!(
            workload.get(&format!("{container}/allowPrivilegeEscalation")),
            false,
            "{} must forbid privilege escalation",
            workload.origin
        );
        assert_eq!(
            workload.get(&format!("{container}/readOnlyRootFilesystem")),
            true,
            "{} must run on a read-only root filesystem",
            workload.origin
        );
    }
}

/// One Dockerfile instruction, continuation lines joined.
struct Instruction {
    keyword: String,
    arguments: String,
}

/// One `FROM` of the Dockerfile and the instructions up to the next.
struct Stage {
    name: String,
    instructions: Vec<Instruction>,
}

impl Stage {
    /// The arguments of every instruction of this kind, in order.
    fn all(&self, keyword: &str) -> impl Iterator<Item = &str> {
        self.instructions
            .iter()
            .filter(move |instruction| instruction.keyword == keyword)
            .map(|instruction| instruction.arguments.as_str())
    }

    /// The arguments of the last instruction of this kind: the one in force.
    fn last(&self, keyword: &str) -> &str {
        self.all(keyword)
            .last()
            .unwrap_or_else(|| panic!("stage {} has no {keyword}", self.name))
    }
}

/// The stages of `ch07-ops/deploy/Dockerfile`.
///
/// Enough of Dockerfile syntax for this file: comment lines, blank lines and lines continued
/// with a trailing `\`.
fn dockerfile_stages() -> Vec<Stage> {
    let text = read("ch07-ops/deploy/Dockerfile");
    let mut lines = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(start) => {
                pending.push_str(start);
                pending.push(' ');
            }
            None => {
                pending.push_str(trimmed);
                lines.push(std::mem::take(&mut pending));
            }
        }
    }
    assert!(pending.is_empty(), "the Dockerfile ends inside a `\\` line");

    let mut stages: Vec<Stage> = Vec::new();
    for line in lines {
        let (keyword, arguments) = line.split_once(char::is_whitespace).unwrap_or((&line, ""));
        let instruction = Instruction {
            keyword: keyword.to_uppercase(),
            arguments: arguments.trim().to_owned(),
        };
        if instruction.keyword == "FROM" {
            let words: Vec<&str> = instruction.arguments.split_whitespace().collect();
            let name = match words.as_slice() {
                [_, as_, name] if as_.eq_ignore_ascii_case("as") => (*name).to_owned(),
                _ => format!("#{}", stages.len()),
            };
            stages.push(Stage {
                name,
                instructions: Vec::new(),
            });
        }
        stages
            .last_mut()
            .expect("the Dockerfile starts with FROM")
            .instructions
            .push(instruction);
    }
    stages
}

fn stage<'a>(stages: &'a [Stage], name: &str) -> &'a Stage {
    stages
        .iter()
        .find(|stage| stage.name == name)
        .unwrap_or_else(|| panic!("the Dockerfile has no stage {name:?} for --target {name}"))
}

/// The binary built by `src/bin/<name>.rs`, by the name Cargo gives it.
fn binary_name(cargo_bin_exe: &str) -> String {
    Path::new(cargo_bin_exe)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .expect("Cargo names the binary")
        .to_owned()
}

#[test]
fn dockerfile_builds_exactly_the_two_binaries_locked() {
    let stages = dockerfile_stages();
    let builds: Vec<Vec<&str>> = stages
        .iter()
        .flat_map(|stage| stage.all("RUN"))
        .flat_map(|run| run.split("&&"))
        .map(|command| command.split_whitespace().collect::<Vec<_>>())
        .filter(|words| words.windows(2).any(|pair| pair == ["cargo", "build"]))
        .collect();
    let [build] = builds.as_slice() else {
        panic!(
            "the Dockerfile must run `cargo build` once, not {} times",
            builds.len()
        );
    };
    assert!(
        build.contains(&"--locked"),
        "cargo build must use Cargo.lock"
    );
    assert!(
        build.contains(&"--release"),
        "cargo build must build --release"
    );
    let built: BTreeSet<&str> = build
        .windows(2)
        .filter(|pair| pair[0] == "--bin")
        .map(|pair| pair[1])
        .collect();
    let expected: BTreeSet<String> = [
        env!("CARGO_BIN_EXE_ch07-server"),
        env!("CARGO_BIN_EXE_ch07-client"),
    ]
    .into_iter()
    .map(binary_name)
    .collect();
    assert_eq!(
        built,
        expected.iter().map(String::as_str).collect::<BTreeSet<_>>()
    );
}

#[test]
fn dockerfile_final_stages_run_the_binaries_as_non_root() {
    let stages = dockerfile_stages();
    let targets = [
        (
            "server",
            env!("CARGO_BIN_EXE_ch07-server"),
            vec![BOOK_PORT, SERVER_METRICS_PORT],
        ),
        (
            "client",
            env!("CARGO_BIN_EXE_ch07-client"),
            vec![CLIENT_METRICS_PORT],
        ),
    ];
    for (target, cargo_bin_exe, ports) in targets {
        let stage = stage(&stages, target);

        let user = stage.last("USER");
        let uid: u32 = user
            .split(':')
            .next()
            .and_then(|uid| uid.parse().ok())
            .unwrap_or_else(|| panic!("stage {target}: USER {user} is not a numeric uid"));
        assert_ne!(uid, 0, "stage {target} runs as root");

        let entrypoint: Vec<String> = serde_json::from_str(stage.last("ENTRYPOINT"))
            .unwrap_or_else(|_| {
                panic!("stage {target}: ENTRYPOINT must be a JSON list (no shell)")
            });
        let program = entrypoint
            .first()
            .unwrap_or_else(|| panic!("stage {target}: ENTRYPOINT is empty"));
        assert_eq!(
            binary_name(program),
            binary_name(cargo_bin_exe),
            "stage {target} starts the wrong binary"
        );
        assert!(
            stage
                .all("COPY")
                .any(|copy| copy.split_whitespace().last() == Some(program.as_str())),
            "stage {target} never copies {program} into the image"
        );

        let exposed: Vec<u16> = stage
            .all("EXPOSE")
            .flat_map(str::split_whitespace)
            .map(|port| {
                port.trim_end_matches("/tcp")
                    .parse()
                    .unwrap_or_else(|_| panic!("stage {target}: EXPOSE {port} is not a port"))
            })
            .collect();
        assert_eq!(exposed, ports, "stage {target} exposes the wrong ports");
    }
}

#[test]
fn manifests_run_the_images_the_readme_builds() {
    let Manifests {
        deployment, job, ..
    } = Manifests::load();
    let readme = read("ch07-ops/deploy/README.md");
    for (workload, target) in [(&deployment, "server"), (&job, "client")] {
        let image = workload.str(&format!("{CONTAINER}/image"));
        let repository = image.split(':').next().unwrap_or(image);
        let build = format!(
            "docker build -f ch07-ops/deploy/Dockerfile --target {target} -t {repository} ."
        );
        assert!(
            readme.contains(&build),
            "deploy/README.md must build {image} with `{build}`"
        );
    }
}

#[test]
fn github_workflow_runs_the_ci_script() {
    let workflow = documents(".github/workflows/ci.yml")
        .pop()
        .expect("the workflow file is empty");
    let jobs = workflow
        .get("/jobs")
        .as_object()
        .expect("the workflow's jobs are a map");
    let runs_ci = jobs.values().any(|job| {
        job["steps"].as_array().is_some_and(|steps| {
            steps.iter().any(|step| {
                step["run"]
                    .as_str()
                    .is_some_and(|run| run.split_whitespace().any(|word| word == ".ci/run"))
            })
        })
    });
    assert!(runs_ci, "no step of the workflow runs .ci/run");
}
