#!/usr/bin/python3
"""Checks that the deployment files agree with each other and with the image.

    /usr/bin/python3 tests/deploy/manifests_test.py REPO_ROOT

Parses every YAML file under deploy/kubernetes/, compose.yaml and the
Dockerfile, and asserts the settings that break a deployment when they drift
apart: gRPC probes on the gRPC port, resource requests and limits, a non-root
user that is the image's user, the database on the persistent volume, the
Service matching the pods, the scrape annotations, the exposed ports, the
shutdown budget, and compose's volumes and mounts; and that the PostgreSQL
variant (compose.postgres.yaml, deploy/kubernetes-postgres/) runs two
replicas on one database with the password kept out of --db.

Needs Python 3's unittest and PyYAML (Debian: python3-yaml).
"""

import os
import re
import shlex
import sys
import unittest

try:
    import yaml
except ImportError:
    # Another python3 may be first on PATH; Debian's has python3-yaml.
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and \
            os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("manifests_test: PyYAML is missing: apt-get install python3-yaml")

ROOT = None  # the repository root, from the command line
K8S_DIR = os.path.join("deploy", "kubernetes")


# --- Parsing helpers --------------------------------------------------------------

def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def load_yaml_docs(path):
    return [d for d in yaml.safe_load_all(read(path)) if d is not None]


def dockerfile_instructions(text):
    """Returns (INSTRUCTION, arguments) pairs, continuation lines joined."""
    out, buf = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if buf and stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if stripped.endswith("\\"):
            buf += stripped[:-1] + " "
            continue
        buf += stripped
        word, _, rest = buf.partition(" ")
        out.append((word.upper(), rest.strip()))
        buf = ""
    return out


def exec_form_or_words(arg):
    """The list of an exec-form (JSON) argument, or the shell words."""
    arg = arg.strip()
    if arg.startswith("["):
        return yaml.safe_load(arg)  # a JSON array is YAML too
    return shlex.split(arg)


def flag_value(args, name):
    """The value of --name=value or --name value in args, or None."""
    for i, a in enumerate(args):
        if a == "--" + name and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--" + name + "="):
            return a.split("=", 1)[1]
    return None


def duration_seconds(text):
    """Seconds in an absl/Go duration such as 10s, 1m30s, 500ms, 2h."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError("not a duration: %r" % text)
    return sum(float(n) * units[u] for n, u in parts)


def cpu_cores(q):
    q = str(q)
    return float(q[:-1]) / 1000 if q.endswith("m") else float(q)


def memory_bytes(q):
    q = str(q)
    factors = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40,
               "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
    for suffix in sorted(factors, key=len, reverse=True):
        if q.endswith(suffix):
            return float(q[:-len(suffix)]) * factors[suffix]
    return float(q)


def project_version():
    m = re.search(r"project\(inrapport\s+VERSION\s+([0-9.]+)", read("CMakeLists.txt"))
    if not m:
        raise AssertionError("no project(inrapport VERSION ...) in CMakeLists.txt")
    return m.group(1)


# --- The files under test ------------------------------------------------------------

class Files:
    """Everything the tests look at, parsed once."""

    def __init__(self):
        self.k8s = {}  # (kind, name) -> object
        self.k8s_files = sorted(
            f for f in os.listdir(os.path.join(ROOT, K8S_DIR))
            if f.endswith((".yaml", ".yml")))
        for f in self.k8s_files:
            for doc in load_yaml_docs(os.path.join(K8S_DIR, f)):
                key = (doc["kind"], doc.get("metadata", {}).get("name"))
                if key in self.k8s:
                    raise AssertionError("%s %s defined twice" % key)
                self.k8s[key] = doc
        self.compose = load_yaml_docs("compose.yaml")[0]
        self.dockerfile = dockerfile_instructions(read("Dockerfile"))

    def one(self, kind):
        found = [v for (k, _), v in self.k8s.items() if k == kind]
        if len(found) != 1:
            raise AssertionError("expected one %s, found %d" % (kind, len(found)))
        return found[0]

    # Kubernetes
    @property
    def deployment(self):
        return self.one("Deployment")

    @property
    def pod(self):
        return self.deployment["spec"]["template"]

    @property
    def container(self):
        containers = self.pod["spec"]["containers"]
        named = [c for c in containers if c["name"] == "inrapportd"]
        if len(named) != 1:
            raise AssertionError("no container named inrapportd")
        return named[0]

    @property
    def container_ports(self):
        """Port name -> containerPort."""
        return {p["name"]: p["containerPort"] for p in self.container["ports"]}

    # Dockerfile (its last stage is the image)
    def runtime_stage(self):
        froms = [i for i, (word, _) in enumerate(self.dockerfile) if word == "FROM"]
        return self.dockerfile[froms[-1]:]

    def last(self, word):
        values = [arg for w, arg in self.runtime_stage() if w == word]
        if not values:
            raise AssertionError("the Dockerfile's runtime stage has no " + word)
        return values[-1]

    def image_uid(self):
        user = self.last("USER").split(":")[0]
        if user.isdigit():
            return int(user)
        for word, arg in self.runtime_stage():
            m = re.search(r"useradd\b.*?--uid[ =](\d+).*?\s" + re.escape(user) + r"\b", arg)
            if word == "RUN" and m:
                return int(m.group(1))
        raise AssertionError("cannot tell the uid of the Dockerfile's USER " + user)

    def image_exposed_ports(self):
        ports = set()
        for word, arg in self.runtime_stage():
            if word == "EXPOSE":
                ports |= {int(p.split("/")[0]) for p in arg.split()}
        return ports

    def image_cmd(self):
        return exec_form_or_words(self.last("CMD"))


F = None


class KustomizationTest(unittest.TestCase):
    def test_every_manifest_parses_and_is_listed(self):
        kustomization = F.one("Kustomization")
        listed = set(kustomization["resources"])
        manifests = {f for f in F.k8s_files if not f.startswith("kustomization.")}
        self.assertEqual(listed, manifests,
                         "kustomization.yaml resources must list every manifest")

    def test_image_tag_is_the_project_version(self):
        kustomization = F.one("Kustomization")
        tags = {i["name"]: i.get("newTag") for i in kustomization.get("images", [])}
        image = F.container["image"]
        name, _, tag = image.rpartition(":") if ":" in image.split("/")[-1] else (image, "", "")
        self.assertEqual(tags.get(name, tag), project_version(),
                         "the image tag deployed should be the project's version")


class DeploymentTest(unittest.TestCase):
    def test_one_replica_recreated_because_sqlite_has_one_writer(self):
        spec = F.deployment["spec"]
        self.assertEqual(spec.get("replicas"), 1)
        self.assertEqual(spec.get("strategy", {}).get("type"), "Recreate")

    def test_container_ports_are_grpc_and_metrics(self):
        self.assertEqual(F.container_ports, {"grpc": 50051, "metrics": 9464})

    def test_probes_ask_grpc_health_on_the_grpc_port(self):
        grpc_port = F.container_ports["grpc"]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            with self.subTest(probe=probe):
                p = F.container.get(probe)
                self.assertIsNotNone(p, probe + " missing")
                for other in ("httpGet", "tcpSocket", "exec"):
                    self.assertNotIn(other, p)
                self.assertIn("grpc", p)
                self.assertEqual(p["grpc"].get("port"), grpc_port)
                # "" (or none) is the server's overall health.
                self.assertEqual(p["grpc"].get("service", ""), "")

    def test_cpu_and_memory_requests_and_limits(self):
        resources = F.container.get("resources", {})
        for kind in ("requests", "limits"):
            for what in ("cpu", "memory"):
                with self.subTest(kind=kind, what=what):
                    self.assertIn(what, resources.get(kind, {}))
        req, lim = resources["requests"], resources["limits"]
        self.assertLessEqual(cpu_cores(req["cpu"]), cpu_cores(lim["cpu"]))
        self.assertLessEqual(memory_bytes(req["memory"]), memory_bytes(lim["memory"]))

    def _security(self, key):
        """The container's setting, else the pod's (as Kubernetes resolves it)."""
        container = F.container.get("securityContext", {})
        if key in container:
            return container[key]
        return F.pod["spec"].get("securityContext", {}).get(key)

    def test_runs_as_the_images_non_root_user(self):
        self.assertIs(self._security("runAsNonRoot"), True)
        uid = F.image_uid()
        self.assertNotEqual(uid, 0)
        self.assertEqual(self._security("runAsUser"), uid,
                         "runAsUser must be the Dockerfile's USER uid")

    def test_container_is_locked_down(self):
        sc = F.container.get("securityContext", {})
        self.assertIs(sc.get("readOnlyRootFilesystem"), True)
        self.assertIs(sc.get("allowPrivilegeEscalation"), False)
        self.assertIn("ALL", sc.get("capabilities", {}).get("drop", []))
        self.assertEqual((self._security("seccompProfile") or {}).get("type"), "RuntimeDefault")

    def test_database_is_on_the_claimed_volume(self):
        pvc = F.one("PersistentVolumeClaim")
        self.assertEqual(pvc["spec"]["accessModes"], ["ReadWriteOnce"])
        volumes = {v["name"]: v for v in F.pod["spec"]["volumes"]}
        claimed = [n for n, v in volumes.items()
                   if v.get("persistentVolumeClaim", {}).get("claimName") == pvc["metadata"]["name"]]
        self.assertEqual(len(claimed), 1, "one pod volume must claim " + pvc["metadata"]["name"])
        mounts = [m["mountPath"] for m in F.container["volumeMounts"] if m["name"] == claimed[0]]
        self.assertEqual(len(mounts), 1)
        db = flag_value(F.container.get("args", []), "db")
        self.assertIsNotNone(db, "the container must pass --db")
        self.assertEqual(os.path.dirname(db), mounts[0].rstrip("/"),
                         "--db must point into the persistent volume")
        self.assertEqual(os.path.dirname(flag_value(F.image_cmd(), "db")), mounts[0].rstrip("/"),
                         "the image's default --db must be where the volume is mounted")

    def test_callers_need_tokens_from_the_generated_secret(self):
        # Listening on all interfaces without credentials is refused by the
        # server; the pod reads the token hashes from the kustomize Secret.
        args = F.container.get("args", [])
        self.assertNotIn("--allow_unauthenticated", args)
        tokens = flag_value(args, "tokens_file")
        self.assertIsNotNone(tokens, "the container must pass --tokens_file")
        generated = {g["name"]: g for g in F.one("Kustomization").get("secretGenerator", [])}
        volumes = {v["name"]: v for v in F.pod["spec"]["volumes"]}
        mounted = [m for m in F.container["volumeMounts"]
                   if tokens.startswith(m["mountPath"].rstrip("/") + "/")]
        self.assertEqual(len(mounted), 1, "--tokens_file must lie in one mounted volume")
        self.assertTrue(mounted[0].get("readOnly"), "the tokens volume must be read-only")
        secret = volumes[mounted[0]["name"]].get("secret", {}).get("secretName")
        self.assertIn(secret, generated, "the tokens volume must be the generated Secret")
        key = os.path.relpath(tokens, mounted[0]["mountPath"])
        self.assertIn(key, generated[secret]["files"])
        self.assertTrue(os.path.exists(os.path.join(ROOT, K8S_DIR, key)))
        self.assertEqual(flag_value(F.image_cmd(), "tokens_file") is not None, True,
                         "the image's default command must require a tokens file too")

    def test_listens_on_all_interfaces_at_the_container_ports(self):
        args = F.container.get("args", [])
        self.assertEqual(flag_value(args, "listen"), "0.0.0.0:%d" % F.container_ports["grpc"])
        self.assertEqual(flag_value(args, "metrics_listen"),
                         "0.0.0.0:%d" % F.container_ports["metrics"])

    def test_scrape_annotations_point_at_the_metrics_port(self):
        annotations = F.pod["metadata"].get("annotations", {})
        # Annotation values must be strings; YAML's true or 9464 would not be.
        self.assertEqual(annotations.get("prometheus.io/scrape"), "true")
        self.assertEqual(annotations.get("prometheus.io/port"), str(F.container_ports["metrics"]))
        self.assertEqual(annotations.get("prometheus.io/path"), "/metrics")

    def test_image_exposes_exactly_the_container_ports(self):
        self.assertEqual(F.image_exposed_ports(), set(F.container_ports.values()))

    def test_termination_grace_outlasts_the_shutdown(self):
        args = F.container.get("args", [])
        budget = duration_seconds(flag_value(args, "shutdown_grace") or "10s")
        budget += duration_seconds(flag_value(args, "drain_delay") or "0s")
        self.assertGreater(F.pod["spec"].get("terminationGracePeriodSeconds", 30), budget)

    def test_selector_matches_the_pod_labels(self):
        labels = F.pod["metadata"]["labels"]
        match = F.deployment["spec"]["selector"]["matchLabels"]
        self.assertTrue(match)
        self.assertLessEqual(match.items(), labels.items())


class ServiceTest(unittest.TestCase):
    def test_selector_matches_the_pod_labels(self):
        service = F.one("Service")
        selector = service["spec"]["selector"]
        self.assertTrue(selector)
        self.assertLessEqual(selector.items(), F.pod["metadata"]["labels"].items())

    def test_ports_are_the_named_container_ports(self):
        service = F.one("Service")
        self.assertEqual(service["spec"].get("type", "ClusterIP"), "ClusterIP")
        ports = F.container_ports
        self.assertEqual({p["name"] for p in service["spec"]["ports"]}, set(ports))
        for p in service["spec"]["ports"]:
            with self.subTest(port=p["name"]):
                target = p.get("targetPort", p["port"])
                target = ports.get(target, target)  # a name resolves to the number
                self.assertEqual(target, ports[p["name"]])
                self.assertEqual(p["port"], ports[p["name"]])


class ComposeTest(unittest.TestCase):
    def test_volumes_are_declared_named_volumes_or_existing_paths(self):
        declared = set((F.compose.get("volumes") or {}).keys())
        used = set()
        for name, service in F.compose["services"].items():
            for volume in service.get("volumes", []):
                source = volume["source"] if isinstance(volume, dict) else volume.split(":")[0]
                with self.subTest(service=name, source=source):
                    if source.startswith((".", "/")):
                        self.assertTrue(os.path.exists(os.path.join(ROOT, source)),
                                        "%s mounts %s, which is not in the repository"
                                        % (name, source))
                    else:
                        self.assertIn(source, declared, "named volume not declared at top level")
                        used.add(source)
        self.assertEqual(used, declared, "every declared volume is used")

    def _inrapportd(self):
        return F.compose["services"]["inrapportd"]

    def test_inrapportd_keeps_its_database_in_a_named_volume(self):
        service = self._inrapportd()
        self.assertEqual(service.get("build"), ".")
        db = flag_value(service.get("command") or F.image_cmd(), "db")
        targets = {v.split(":")[1]: v.split(":")[0] for v in service["volumes"]}
        self.assertIn(os.path.dirname(db), targets, "--db must be in a mounted volume")
        self.assertIn(targets[os.path.dirname(db)], F.compose["volumes"])
        self.assertIn("restart", service)

    def test_inrapportd_publishes_the_images_ports(self):
        published = {int(str(p).split(":")[-1].split("/")[0]) for p in self._inrapportd()["ports"]}
        self.assertEqual(published, F.image_exposed_ports())

    def test_stop_grace_outlasts_the_shutdown(self):
        service = self._inrapportd()
        args = service.get("command") or F.image_cmd()
        budget = duration_seconds(flag_value(args, "shutdown_grace") or "10s")
        budget += duration_seconds(flag_value(args, "drain_delay") or "0s")
        self.assertGreater(duration_seconds(service.get("stop_grace_period", "10s")), budget)

    def test_prometheus_scrapes_inrapportd_by_service_name(self):
        service = F.compose["services"]["prometheus"]
        config = [v.split(":")[0] for v in service["volumes"]
                  if v.split(":")[1] == "/etc/prometheus/prometheus.yml"]
        self.assertEqual(len(config), 1)
        prometheus = load_yaml_docs(config[0])[0]
        targets = [t for job in prometheus.get("scrape_configs", [])
                   for sc in job.get("static_configs", []) for t in sc.get("targets", [])]
        metrics_port = F.container_ports["metrics"]
        self.assertIn("inrapportd:%d" % metrics_port, targets)


class DockerfileTest(unittest.TestCase):
    def test_runtime_image_runs_inrapportd_as_a_non_root_user_with_a_volume(self):
        self.assertEqual(exec_form_or_words(F.last("ENTRYPOINT")), ["inrapportd"])
        self.assertNotEqual(F.image_uid(), 0)
        volumes = exec_form_or_words(F.last("VOLUME"))
        self.assertIn(os.path.dirname(flag_value(F.image_cmd(), "db")), volumes)
        for word, arg in F.runtime_stage():
            m = re.search(r"useradd\b.*?--uid[ =](\d+)", arg)
            if word == "RUN" and m:
                self.assertEqual(int(m.group(1)), F.image_uid(),
                                 "the user created must be the USER the image runs as")
        self.assertNotIn("HEALTHCHECK", [w for w, _ in F.runtime_stage()],
                         "the image has no tool to run a health check with")


class PostgresVariantTest(unittest.TestCase):
    """compose.postgres.yaml and deploy/kubernetes-postgres: two replicas on
    one PostgreSQL, with the password kept out of --db."""

    OVERLAY = os.path.join("deploy", "kubernetes-postgres")

    def setUp(self):
        self.compose = load_yaml_docs("compose.postgres.yaml")[0]
        self.kustomization = load_yaml_docs(
            os.path.join(self.OVERLAY, "kustomization.yaml"))[0]
        self.patch = load_yaml_docs(os.path.join(self.OVERLAY, "deployment-patch.yaml"))[0]

    def replicas(self):
        return {name: svc for name, svc in self.compose["services"].items()
                if name.startswith("inrapportd")}

    def test_compose_runs_two_replicas_on_the_postgres_service(self):
        replicas = self.replicas()
        self.assertGreaterEqual(len(replicas), 2)
        postgres = self.compose["services"]["postgres"]
        self.assertIn("healthcheck", postgres, "replicas wait for a healthy database")
        for name, svc in replicas.items():
            db = flag_value(svc["command"], "db")
            self.assertIsNotNone(db, name)
            self.assertTrue(db.startswith("postgresql://"), name)
            self.assertNotRegex(db, r"://[^/@]*:[^/@]*@", name + ": a password in --db")
            self.assertIn("@postgres:", db, name + ": --db names the postgres service")
            self.assertEqual(svc["environment"]["PGPASSWORD"],
                             postgres["environment"]["POSTGRES_PASSWORD"], name)
            self.assertEqual(svc["depends_on"]["postgres"]["condition"], "service_healthy")

    def test_compose_replicas_publish_different_host_ports(self):
        host_ports = []
        for svc in self.replicas().values():
            host_ports += [p.rsplit(":", 2)[-2] for p in svc["ports"]]
        self.assertEqual(len(host_ports), len(set(host_ports)), host_ports)

    def test_overlay_resources_and_patch_files_exist(self):
        for resource in self.kustomization["resources"]:
            self.assertTrue(os.path.exists(os.path.join(ROOT, self.OVERLAY, resource)),
                            resource)
        for patch in self.kustomization["patches"]:
            if "path" in patch:
                self.assertTrue(os.path.exists(os.path.join(ROOT, self.OVERLAY, patch["path"])))

    def test_overlay_runs_two_replicas_rolling_on_postgres(self):
        ops = {(op["op"], op["path"]): op.get("value") for op in self.patch}
        self.assertGreaterEqual(ops[("replace", "/spec/replicas")], 2)
        strategy = ops[("replace", "/spec/strategy")]
        self.assertEqual(strategy["type"], "RollingUpdate")
        self.assertEqual(strategy["rollingUpdate"]["maxUnavailable"], 0)
        args = ops[("replace", "/spec/template/spec/containers/0/args")]
        db = flag_value(args, "db")
        self.assertTrue(db.startswith("postgresql://"))
        self.assertNotRegex(db, r"://[^/@]*:[^/@]*@", "a password in --db")
        # The password comes from the Secret the overlay generates.
        env = ops[("add", "/spec/template/spec/containers/0/env/-")]
        self.assertEqual(env["name"], "PGPASSWORD")
        ref = env["valueFrom"]["secretKeyRef"]
        generated = {g["name"]: g for g in self.kustomization["secretGenerator"]}
        self.assertIn(ref["name"], generated)
        keys = [f.split("=", 1)[0] for f in generated[ref["name"]]["files"]]
        self.assertIn(ref["key"], keys)
        # The base's flags that the overlay must keep.
        for flag in ("listen", "metrics_listen", "tokens_file", "shutdown_grace"):
            self.assertIsNotNone(flag_value(args, flag), flag)


def main():
    global ROOT, F
    if len(sys.argv) < 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: manifests_test.py REPO_ROOT [unittest options]")
    ROOT = os.path.abspath(sys.argv[1])
    F = Files()
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)


if __name__ == "__main__":
    main()
