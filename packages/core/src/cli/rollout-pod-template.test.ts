import { test } from "node:test";
import assert from "node:assert/strict";
import { describePodTemplate, describeProbe } from "./rollout-pod-template.js";

test("a pod template reads like kubectl's, tab separated", () => {
  const text = describePodTemplate({
    metadata: { labels: { app: "web", "pod-template-hash": "abc" }, annotations: { "kubernetes.io/change-cause": "set image" } },
    spec: {
      containers: [
        {
          name: "web",
          image: "nginx:1.25",
          ports: [{ containerPort: 80, protocol: "TCP" }],
          args: ["--port", "80"],
          resources: { limits: { memory: "64Mi", cpu: "1" } },
          env: [{ name: "MODE", value: "prod" }, { name: "KEY", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }],
          volumeMounts: [{ name: "data", mountPath: "/data", readOnly: true }],
        },
      ],
      volumes: [{ name: "data", emptyDir: {} }],
      tolerations: [{ key: "gpu", operator: "Exists", effect: "NoSchedule" }],
    },
  });
  assert.equal(
    text,
    [
      "Pod Template:",
      "  Labels:\tapp=web",
      "\tpod-template-hash=abc",
      "  Annotations:\tkubernetes.io/change-cause: set image",
      "  Containers:",
      "   web:",
      "    Image:\tnginx:1.25",
      "    Port:\t80/TCP",
      "    Host Port:\t0/TCP",
      "    Args:",
      "      --port",
      "      80",
      "    Limits:",
      "      cpu:\t1",
      "      memory:\t64Mi",
      "    Environment:",
      "      MODE:\tprod",
      "      KEY:\t<set to the key 'k' in secret 's'>\tOptional: false",
      "    Mounts:",
      "      /data from data (ro)",
      "  Volumes:",
      "   data:",
      "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)",
      "    Medium:\t",
      "    SizeLimit:\t<unset>",
      "  Node-Selectors:\t<none>",
      "  Tolerations:\tgpu:NoSchedule op=Exists",
      "",
    ].join("\n"),
  );
});

test("an empty template and probes", () => {
  assert.equal(
    describePodTemplate({ spec: { containers: [] } }),
    "Pod Template:\n  Labels:\t<none>\n  Containers: <none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n",
  );
  assert.equal(
    describeProbe({ httpGet: { path: "/healthz", port: 8080, scheme: "HTTP" }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 }),
    "http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3",
  );
  assert.equal(describeProbe({ exec: { command: ["cat", "/ok"] } }), "exec [cat /ok] delay=0s timeout=0s period=0s #success=0 #failure=0");
});
