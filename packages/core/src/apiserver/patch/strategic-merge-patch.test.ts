import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { applyStrategicMergePatch } from "./strategic-merge-patch.js";
import { isBadRequest } from "../../api/errors.js";
import { deploymentSchema, podSchema } from "./testing/schemas.js";

const smp = (doc: object, patch: object, schema = podSchema) => applyStrategicMergePatch(doc, patch, schema);

function deployment() {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{old}\n" } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "app",
              image: "nginx:1.25",
              env: [{ name: "A", value: "1" }],
              ports: [{ containerPort: 80, protocol: "TCP" }],
            },
          ],
        },
      },
    },
  };
}

describe("applyStrategicMergePatch", () => {
  it("applies kubectl's client-side apply patch (image, replicas, env with $setElementOrder)", () => {
    // The exact body kubectl 1.32 sent on a second `kubectl apply` (notes §1.4).
    const patch = JSON.parse(
      '{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{new}\\n"}},"spec":{"replicas":3,"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"$setElementOrder/env":[{"name":"A"}],"env":[{"name":"A","value":"2"}],"image":"nginx:1.26","name":"app"}]}}}}',
    );
    const out = smp(deployment(), patch, deploymentSchema) as ReturnType<typeof deployment>;
    const want = deployment();
    want.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] = "{new}\n";
    want.spec.replicas = 3;
    want.spec.template.spec.containers[0]!.image = "nginx:1.26";
    want.spec.template.spec.containers[0]!.env = [{ name: "A", value: "2" }];
    assert.deepEqual(out, want);
  });

  it("removes one env var with a $patch: delete item", () => {
    const live = deployment();
    live.spec.template.spec.containers[0]!.env = [
      { name: "A", value: "1" },
      { name: "B", value: "2" },
      { name: "C", value: "3" },
    ];
    const patch = {
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "app" }],
            containers: [{ name: "app", "$setElementOrder/env": [{ name: "B" }, { name: "C" }], env: [{ $patch: "delete", name: "A" }] }],
          },
        },
      },
    };
    const out = smp(live, patch, deploymentSchema) as ReturnType<typeof deployment>;
    assert.deepEqual(out.spec.template.spec.containers[0]!.env, [
      { name: "B", value: "2" },
      { name: "C", value: "3" },
    ]);
    assert.equal(out.spec.template.spec.containers[0]!.image, "nginx:1.25");
  });

  it("changes one container's image and keeps the others and their order", () => {
    const live = {
      spec: {
        containers: [
          { name: "a", image: "a:1" },
          { name: "b", image: "b:1", args: ["x"] },
          { name: "c", image: "c:1" },
        ],
      },
    };
    const out = smp(live, { spec: { containers: [{ name: "b", image: "b:2" }] } });
    assert.deepEqual(out, {
      spec: {
        containers: [
          { name: "a", image: "a:1" },
          { name: "b", image: "b:2", args: ["x"] },
          { name: "c", image: "c:1" },
        ],
      },
    });
  });

  it("appends new merge-list items in patch order", () => {
    const live = { spec: { containers: [{ name: "a", image: "a" }] } };
    const out = smp(live, { spec: { containers: [{ name: "c", image: "c" }, { name: "b", image: "b" }] } });
    // Upstream puts patch items not found in the live list before the live-only ones
    // (normalizeElementOrder cannot place them by live position).
    assert.deepEqual((out as typeof live).spec.containers.map((c) => c.name), ["c", "b", "a"]);
  });

  it("follows $setElementOrder: listed items in that order, unlisted live items where they were", () => {
    const live = { spec: { containers: [{ name: "a" }, { name: "b" }, { name: "c" }] } };
    const out = smp(live, {
      spec: { "$setElementOrder/containers": [{ name: "a" }, { name: "new" }, { name: "c" }], containers: [{ name: "new", image: "n" }] },
    }) as typeof live;
    assert.deepEqual(out.spec.containers.map((c) => c.name), ["a", "new", "b", "c"]);
  });

  it("reorders a merge list by $setElementOrder alone", () => {
    const live = { spec: { containers: [{ name: "a", image: "1" }, { name: "b", image: "2" }] } };
    const out = smp(live, { spec: { "$setElementOrder/containers": [{ name: "b" }, { name: "a" }] } });
    assert.deepEqual(out, { spec: { containers: [{ name: "b", image: "2" }, { name: "a", image: "1" }] } });
  });

  it("merges nested merge lists (ports by containerPort)", () => {
    const live = { spec: { containers: [{ name: "a", ports: [{ containerPort: 80, protocol: "TCP" }] }] } };
    const out = smp(live, { spec: { containers: [{ name: "a", ports: [{ containerPort: 443, protocol: "TCP" }] }] } }) as typeof live;
    assert.deepEqual(out.spec.containers[0]!.ports.map((p) => p.containerPort).sort(), [443, 80]);
  });

  it("deletes map keys with null and ignores nulls for absent keys", () => {
    const live = { metadata: { labels: { a: "1", b: "2" } } };
    const out = smp(live, { metadata: { labels: { a: null, c: null, d: "4" }, annotations: { x: null, y: "1" } } });
    assert.deepEqual(out, { metadata: { labels: { b: "2", d: "4" }, annotations: { y: "1" } } });
  });

  it("replaces lists that have no patch strategy (tolerations, args)", () => {
    const live = { spec: { tolerations: [{ key: "a" }, { key: "b" }], containers: [{ name: "c", args: ["1", "2"] }] } };
    const out = smp(live, { spec: { tolerations: [{ key: "z" }], containers: [{ name: "c", args: ["3"] }] } });
    assert.deepEqual(out, { spec: { tolerations: [{ key: "z" }], containers: [{ name: "c", args: ["3"] }] } });
  });

  it("unions primitive merge lists and deletes with $deleteFromPrimitiveList", () => {
    const live = { metadata: { finalizers: ["a", "b"] } };
    assert.deepEqual(smp(live, { metadata: { finalizers: ["b", "c"] } }), { metadata: { finalizers: ["a", "b", "c"] } });
    assert.deepEqual(smp(live, { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } }), { metadata: { finalizers: ["b"] } });
    assert.deepEqual(
      smp(live, { metadata: { "$setElementOrder/finalizers": ["c", "b"], finalizers: ["c"], "$deleteFromPrimitiveList/finalizers": ["a"] } }),
      { metadata: { finalizers: ["c", "b"] } },
    );
    // Deleting from a list that is not there leaves nothing behind.
    assert.deepEqual(smp({ metadata: {} }, { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } }), { metadata: {} });
  });

  it("$patch: replace on a list item makes the patch items the whole list", () => {
    const live = { spec: { containers: [{ name: "a", image: "1" }, { name: "b" }] } };
    const out = smp(live, { spec: { containers: [{ name: "c", image: "3" }, { $patch: "replace" }] } });
    assert.deepEqual(out, { spec: { containers: [{ name: "c", image: "3" }] } });
  });

  it("$patch: replace on a map replaces it, $patch: delete removes its content", () => {
    const live = { spec: { nodeName: "n", containers: [{ name: "a", resources: { limits: { cpu: "1", memory: "1Gi" } } }] } };
    const out = smp(live, { spec: { containers: [{ name: "a", resources: { $patch: "replace", limits: { cpu: "2" } } }] } });
    assert.deepEqual(out, { spec: { nodeName: "n", containers: [{ name: "a", resources: { limits: { cpu: "2" } } }] } });
    const deleted = smp(live, { spec: { containers: [{ name: "a", resources: { $patch: "delete" } }] } });
    assert.deepEqual(deleted, { spec: { nodeName: "n", containers: [{ name: "a", resources: {} }] } });
    assert.deepEqual(smp(live, { spec: { $patch: "replace", restartPolicy: "Never" } }), { spec: { restartPolicy: "Never" } });
  });

  it("$patch: merge is the default behaviour and leaves no trace", () => {
    const out = smp({ metadata: { labels: { a: "1" } } }, { metadata: { labels: { $patch: "merge", b: "2" } } });
    assert.deepEqual(out, { metadata: { labels: { a: "1", b: "2" } } });
  });

  it("$retainKeys clears the keys it does not list (deployment strategy)", () => {
    const out = smp(deployment(), { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } }, deploymentSchema) as ReturnType<typeof deployment>;
    assert.deepEqual(out.spec.strategy, { type: "Recreate" });
    assert.throws(
      () => smp(deployment(), { spec: { strategy: { $retainKeys: ["type"], type: "Recreate", rollingUpdate: {} } } }, deploymentSchema),
      isBadRequest,
    );
  });

  it("treats subtrees without schema as merge patch, still consuming directives", () => {
    const live = { spec: { extra: { list: [{ name: "a" }], map: { x: 1 } } }, other: { items: [1, 2] } };
    const out = smp(live, {
      spec: { extra: { list: [{ name: "b" }], map: { y: 2, $patch: "merge" } } },
      other: { items: [3] },
    });
    assert.deepEqual(out, { spec: { extra: { list: [{ name: "b" }], map: { x: 1, y: 2 } } }, other: { items: [3] } });
    assert.deepEqual(applyStrategicMergePatch({ a: { b: 1 } }, { a: { c: 2, b: null } }, undefined), { a: { c: 2 } });
  });

  it("never leaves directive keys in values it adds", () => {
    const out = smp(
      { spec: {} },
      { spec: { "$setElementOrder/containers": [{ name: "a" }], containers: [{ name: "a", "$setElementOrder/env": [{ name: "X" }], env: [{ name: "X", value: "1" }, { name: "Y", $patch: "delete" }] }] } },
    );
    assert.deepEqual(out, { spec: { containers: [{ name: "a", env: [{ name: "X", value: "1" }] }] } });
  });

  it("replaces a value of another type", () => {
    assert.deepEqual(smp({ spec: { containers: "oops" } }, { spec: { containers: [{ name: "a" }] } }), { spec: { containers: [{ name: "a" }] } });
  });

  it("does not change its inputs", () => {
    const live = deployment();
    const patch = { spec: { replicas: 5, template: { spec: { containers: [{ name: "app", $patch: "delete" }] } } } };
    const liveCopy = structuredClone(live);
    const patchCopy = structuredClone(patch);
    smp(live, patch, deploymentSchema);
    assert.deepEqual(live, liveCopy);
    assert.deepEqual(patch, patchCopy);
  });

  it("rejects malformed patches with BadRequest", () => {
    const live = deployment();
    const cases: object[] = [
      { spec: { $patch: "explode" } },
      { spec: { template: { spec: { containers: [{ image: "no-name" }] } } } },
      { spec: { template: { spec: { containers: [{ $patch: "delete" }] } } } },
      { spec: { template: { spec: { containers: [{ $patch: "merge", name: "app" }] } } } },
      { spec: { template: { spec: { "$setElementOrder/containers": "x" } } } },
      { spec: { template: { spec: { "$setElementOrder/containers": [{ name: "z" }], containers: [{ name: "app" }] } } } },
      { metadata: { "$deleteFromPrimitiveList/finalizers": "a" } },
    ];
    for (const patch of cases) {
      assert.throws(() => smp(live, patch, deploymentSchema), isBadRequest, JSON.stringify(patch));
    }
    assert.throws(() => applyStrategicMergePatch(live, [], deploymentSchema), isBadRequest);
  });
});
