#!/usr/bin/env python3
"""Structure checks of the Kubernetes manifests (kubeconform is not in Debian; python3-yaml is).

Usage: k8s_check.py K8S_DIR OPERATIONS_DOC. Prints one line per problem; exit status 1 if any.
Checks what a schema would (apiVersion/kind pairs, required fields, field types the manifests
use) and the project's own rules (issue 15): no Secret in the kustomization, StatefulSet update
strategies Kubernetes supports and that docs/operations.md names, TSIG wherever zone transfers
are configured, a default-deny NetworkPolicy and a policy for every container port, probes on
declared ports, non-root pods, no console on all interfaces.
"""
import os
import sys

import yaml

API_VERSIONS = {
    "Namespace": "v1", "Service": "v1", "Secret": "v1", "ConfigMap": "v1",
    "Deployment": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1",
    "NetworkPolicy": "networking.k8s.io/v1",
}
STRATEGIES = {"Deployment": ("strategy", {"RollingUpdate", "Recreate"}),
              "StatefulSet": ("updateStrategy", {"RollingUpdate", "OnDelete"})}
problems = []


def problem(where, text):
    problems.append(f"ops/deploy/k8s/{where}: {text}")


def load(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def check_document(file, doc):
    kind, name = doc.get("kind"), (doc.get("metadata") or {}).get("name")
    where = f"{file} {kind}/{name}"
    if kind not in API_VERSIONS:
        problem(where, f"unknown kind {kind!r}")
    elif doc.get("apiVersion") != API_VERSIONS[kind]:
        problem(where, f"apiVersion {doc.get('apiVersion')!r}, expected {API_VERSIONS[kind]!r}")
    if not isinstance(name, str) or not name:
        problem(where, "metadata.name missing")
    if kind in STRATEGIES:
        check_workload(where, kind, doc)
    if kind == "Service":
        for port in doc.get("spec", {}).get("ports", []):
            if not isinstance(port.get("port"), int):
                problem(where, f"port {port} has no integer port")


def check_workload(where, kind, doc):
    spec = doc.get("spec") or {}
    field, allowed = STRATEGIES[kind]
    strategy = (spec.get(field) or {}).get("type")
    if strategy is None:
        problem(where, f"spec.{field}.type missing (docs/operations.md names the upgrade procedure)")
    elif strategy not in allowed:
        problem(where, f"spec.{field}.type {strategy!r}: {kind} supports only {sorted(allowed)}")
    template = spec.get("template") or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    for key, value in ((spec.get("selector") or {}).get("matchLabels") or {}).items():
        if labels.get(key) != value:
            problem(where, f"selector {key}={value} does not match the pod template's labels")
    pod = template.get("spec") or {}
    if not (pod.get("securityContext") or {}).get("runAsNonRoot"):
        problem(where, "pod securityContext.runAsNonRoot is not true")
    for container in pod.get("containers") or []:
        check_container(f"{where} container {container.get('name')}", container)


def env_of(container):
    return {e.get("name"): e for e in container.get("env") or []}


def check_container(where, container):
    if not container.get("image"):
        problem(where, "image missing")
    ports = {p.get("name") for p in container.get("ports") or []}
    numbers = {p.get("containerPort") for p in container.get("ports") or []}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        action = (container.get(probe) or {}).get("httpGet") or (container.get(probe) or {}).get("tcpSocket")
        if action and action.get("port") not in ports | numbers:
            problem(where, f"{probe} uses port {action.get('port')!r}, not a declared container port")
    env = env_of(container)
    host = (env.get("QUARKUS_HTTP_HOST") or {}).get("value")
    if container.get("name") in ("smtp-gateway", "smtp-gateway-intake") and host not in (None, "127.0.0.1", "localhost"):
        problem(where, f"QUARKUS_HTTP_HOST={host}: the console must stay on loopback (port-forward to it)")
    transfers = "TRUSTBL_DNS_ALLOW_TRANSFER" in env or "--primary" in (container.get("args") or []) \
        or "TRUSTBL_DNS_PRIMARY" in env
    if transfers and "TRUSTBL_DNS_TSIG" not in env:
        problem(where, "zone transfers without TRUSTBL_DNS_TSIG (TSIG is required for transfers)")
    if (container.get("securityContext") or {}).get("allowPrivilegeEscalation") is not False:
        problem(where, "securityContext.allowPrivilegeEscalation is not false")


def selects(policy, labels):
    selector = (policy.get("spec") or {}).get("podSelector") or {}
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        if expr.get("operator") != "In" or labels.get(expr.get("key")) not in expr.get("values", []):
            return False
    return True


def policy_ports(policy):
    ports = set()
    for rule in (policy.get("spec") or {}).get("ingress") or []:
        for port in rule.get("ports") or []:
            ports.add((port.get("port"), port.get("protocol", "TCP")))
    return ports


def check_network_policies(docs):
    policies = [d for _, d in docs if d.get("kind") == "NetworkPolicy"]
    if not any(p["spec"].get("podSelector") == {} and not p["spec"].get("ingress")
               and "Ingress" in p["spec"].get("policyTypes", []) for p in policies):
        problem("network-policies.yaml", "no default-deny-ingress policy (podSelector {}, no ingress rules)")
    for file, doc in docs:
        if doc.get("kind") not in STRATEGIES:
            continue
        labels = doc["spec"]["template"]["metadata"].get("labels") or {}
        allowed = set()
        for policy in policies:
            if selects(policy, labels):
                allowed |= policy_ports(policy)
        for container in doc["spec"]["template"]["spec"].get("containers") or []:
            for port in container.get("ports") or []:
                key = (port.get("containerPort"), port.get("protocol", "TCP"))
                if key not in allowed:
                    problem(file, f"{doc['metadata']['name']}: port {key[0]}/{key[1]} has no NetworkPolicy")


def check_secrets(k8s_dir, docs):
    """Every secretKeyRef/secretRef names a Secret (and key) of the example file, which is not deployed."""
    example = os.path.join(k8s_dir, "secrets.example.yaml")
    secrets = {d["metadata"]["name"]: set((d.get("stringData") or d.get("data") or {}).keys())
               for d in load(example) if d.get("kind") == "Secret"}
    for file, doc in docs:
        if doc.get("kind") == "Secret":
            problem(file, f"Secret {doc['metadata']['name']} is part of the kustomization (keep examples outside)")
        if doc.get("kind") not in STRATEGIES:
            continue
        for container in doc["spec"]["template"]["spec"].get("containers") or []:
            for source in container.get("envFrom") or []:
                name = (source.get("secretRef") or {}).get("name")
                if name and name not in secrets:
                    problem(file, f"envFrom secret {name} is not in secrets.example.yaml")
            for e in container.get("env") or []:
                ref = (e.get("valueFrom") or {}).get("secretKeyRef")
                if ref and ref.get("key") not in secrets.get(ref.get("name"), set()):
                    problem(file, f"env {e['name']}: secret {ref.get('name')}/{ref.get('key')} is not in secrets.example.yaml")


def main(k8s_dir, operations_doc):
    kustomization = load(os.path.join(k8s_dir, "kustomization.yaml"))[0]
    docs = []
    for resource in kustomization.get("resources") or []:
        path = os.path.join(k8s_dir, resource)
        if not os.path.exists(path):
            problem("kustomization.yaml", f"resource {resource} does not exist")
            continue
        for doc in load(path):
            docs.append((resource, doc))
            check_document(resource, doc)
    check_network_policies(docs)
    check_secrets(k8s_dir, docs)
    with open(operations_doc) as f:
        text = f.read()
    for _, doc in docs:
        if doc.get("kind") == "StatefulSet":
            strategy = ((doc["spec"].get("updateStrategy") or {}).get("type"))
            if strategy and f"`{strategy}`" not in text:
                problem("trust-service.yaml", f"updateStrategy {strategy} is not what docs/operations.md describes")
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
