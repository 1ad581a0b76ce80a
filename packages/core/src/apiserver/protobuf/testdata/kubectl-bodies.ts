/**
 * Request bodies captured from the stock kubectl v1.32.5 (`-v=10` logs the
 * protobuf body as a hex dump), stored as base64, with the JSON that kubectl
 * v1.31.9 sends for the same command (its `creationTimestamp: null` left out,
 * as the decoder drops the zero time).
 */
export interface CapturedBody {
  /** The kubectl command line, after `kubectl`. */
  command: string;
  /** The raw request body, base64. */
  body: string;
  /** The object as Kubernetes JSON. */
  json: Record<string, unknown>;
}

export const kubectl132Bodies: Record<string, CapturedBody> = {
  "namespace": {
    command: "create namespace demo",
    body: "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhwKFAoEZGVtbxIAGgAiACoAMgA4AEIAEgAaAgoAGgAiAA==",
    json: {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "demo"}, "spec": {}, "status": {}},
  },
  "configmap": {
    command: "create configmap cfg --from-literal=a=1 --from-literal=b=two",
    body: "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEicKEwoDY2ZnEgAaACIAKgAyADgAQgASBgoBYRIBMRIICgFiEgN0d28aACIA",
    json: {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "cfg"}, "data": {"a": "1", "b": "two"}},
  },
  "configmap-binary": {
    command: "create configmap bin --from-file=blob=bin.dat --from-literal=t=x  (bin.dat = 00 01 ff fe)",
    body: "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEisKEwoDYmluEgAaACIAKgAyADgAQgASBgoBdBIBeBoMCgRibG9iEgQAAf/+GgAiAA==",
    json: {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "bin"}, "data": {"t": "x"}, "binaryData": {"blob": "AAH//g=="}},
  },
  "secret": {
    command: "create secret generic sec --from-literal=user=admin --from-literal=pass=s3cr3t",
    body: "azhzAAoMCgJ2MRIGU2VjcmV0EjYKEwoDc2VjEgAaACIAKgAyADgAQgASDgoEcGFzcxIGczNjcjN0Eg0KBHVzZXISBWFkbWluGgAaACIA",
    json: {"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "sec"}, "data": {"pass": "czNjcjN0", "user": "YWRtaW4="}},
  },
  "secret-docker-registry": {
    command: "create secret docker-registry reg --docker-server=r.example --docker-username=u --docker-password=p",
    body: "azhzAAoMCgJ2MRIGU2VjcmV0EpEBChMKA3JlZxIAGgAiACoAMgA4AEIAEloKES5kb2NrZXJjb25maWdqc29uEkV7ImF1dGhzIjp7InIuZXhhbXBsZSI6eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InAiLCJhdXRoIjoiZFRwdyJ9fX0aHmt1YmVybmV0ZXMuaW8vZG9ja2VyY29uZmlnanNvbhoAIgA=",
    json: {"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "reg"}, "data": {".dockerconfigjson": "eyJhdXRocyI6eyJyLmV4YW1wbGUiOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiYXV0aCI6ImRUcHcifX19"}, "type": "kubernetes.io/dockerconfigjson"},
  },
  "service-clusterip": {
    command: "create service clusterip web --tcp=80:8080",
    body: "azhzAAoNCgJ2MRIHU2VydmljZRJpCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEkIKGwoHODAtODA4MBIDVENQGFAiBwgAEJA/GgAoABIKCgNhcHASA3dlYhoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==",
    json: {"kind": "Service", "apiVersion": "v1", "metadata": {"name": "web", "labels": {"app": "web"}}, "spec": {"ports": [{"name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080}], "selector": {"app": "web"}, "type": "ClusterIP"}, "status": {"loadBalancer": {}}},
  },
  "service-nodeport": {
    command: "create service nodeport np --tcp=80:8080 --node-port=30080",
    body: "azhzAAoNCgJ2MRIHU2VydmljZRJnCh0KAm5wEgAaACIAKgAyADgAQgBaCQoDYXBwEgJucBJCCh0KBzgwLTgwODASA1RDUBhQIgcIABCQPxoAKIDrARIJCgNhcHASAm5wGgAiCE5vZGVQb3J0OgBCAFIAWgBgAGgAGgIKABoAIgA=",
    json: {"kind": "Service", "apiVersion": "v1", "metadata": {"name": "np", "labels": {"app": "np"}}, "spec": {"ports": [{"name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080, "nodePort": 30080}], "selector": {"app": "np"}, "type": "NodePort"}, "status": {"loadBalancer": {}}},
  },
  "serviceaccount": {
    command: "create serviceaccount robot",
    body: "azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFwoVCgVyb2JvdBIAGgAiACoAMgA4AEIAGgAiAA==",
    json: {"kind": "ServiceAccount", "apiVersion": "v1", "metadata": {"name": "robot"}},
  },
  "deployment": {
    command: "create deployment web --image=nginx --port=80 --replicas=2",
    body: "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErgBCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEoYBCAISDAoKCgNhcHASA3dlYhpsChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEkwSLgoFbmdpbngSBW5naW54KgAyCgoAEAAYUCIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=",
    json: {"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "web", "labels": {"app": "web"}}, "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}], "resources": {}}]}}, "strategy": {}}, "status": {}},
  },
  "deployment-zero-replicas": {
    command: "create deployment idle --image=nginx --replicas=0",
    body: "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Eq8BCiEKBGlkbGUSABoAIgAqADIAOABCAFoLCgNhcHASBGlkbGUSfAgAEg0KCwoDYXBwEgRpZGxlGmEKHQoAEgAaACIAKgAyADgAQgBaCwoDYXBwEgRpZGxlEkASIgoFbmdpbngSBW5naW54KgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=",
    json: {"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "idle", "labels": {"app": "idle"}}, "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "idle"}}, "template": {"metadata": {"labels": {"app": "idle"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx", "resources": {}}]}}, "strategy": {}}, "status": {}},
  },
  "job": {
    command: "create job pi --image=busybox -- echo hi",
    body: "azhzAAoPCghiYXRjaC92MRIDSm9iEoQBChIKAnBpEgAaACIAKgAyADgAQgASZDJiChAKABIAGgAiACoAMgA4AEIAEk4SKwoCcGkSB2J1c3lib3gaBGVjaG8aAmhpKgBCAGoAcgCAAQCIAQCQAQCiAQAaBU5ldmVyMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAaCCAAKAAwADoAGgAiAA==",
    json: {"kind": "Job", "apiVersion": "batch/v1", "metadata": {"name": "pi"}, "spec": {"template": {"metadata": {}, "spec": {"containers": [{"name": "pi", "image": "busybox", "command": ["echo", "hi"], "resources": {}}], "restartPolicy": "Never"}}}, "status": {}},
  },
  "cronjob": {
    command: "create cronjob cj --image=busybox --schedule='*/5 * * * *' -- date",
    body: "azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKkAQoSCgJjahIAGgAiACoAMgA4AEIAEosBCgsqLzUgKiAqICogKhoAKnoKEgoCY2oSABoAIgAqADIAOABCABJkMmIKEAoAEgAaACIAKgAyADgAQgASThInCgJjahIHYnVzeWJveBoEZGF0ZSoAQgBqAHIAgAEAiAEAkAEAogEAGglPbkZhaWx1cmUyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBABoAGgAiAA==",
    json: {"kind": "CronJob", "apiVersion": "batch/v1", "metadata": {"name": "cj"}, "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"metadata": {"name": "cj"}, "spec": {"template": {"metadata": {}, "spec": {"containers": [{"name": "cj", "image": "busybox", "command": ["date"], "resources": {}}], "restartPolicy": "OnFailure"}}}}}, "status": {}},
  },
};
