#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A minimal CRI client for test/integration/cri.sh: what the kubelet does
for one pod with one container, over containerd's CRI gRPC socket.

  cri_client.py SOCKET STUBS version
  cri_client.py SOCKET STUBS pod --name N --namespace NS --image IMG
        --logdir DIR [--annotation K=V]... [--container-annotation K=V]...
        [--host-network] [--add-cap CAP]... [--privileged]
        [--runc-root DIR] [--exec SHELL-CMD] -- CMD...

STUBS is the directory with cri_pb2.py and cri_pb2_grpc.py generated from
cri.proto.  `pod` runs the sandbox, creates and starts the container, waits
for it to exit, and prints one JSON object: the ids, the exit code, the
container's output (from its CRI log file), and with --runc-root the
sandbox process's Uid and CapBnd (from /proc, its pid from `runc state`).
With --exec, SHELL-CMD runs in the running container through ExecSync
(what `kubectl exec` does) and its output is printed too; CMD should then
last until it is stopped.
A refused call prints {"error": ..., "stage": RPC} and exits 1.  The pod is
always stopped and removed before exiting.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import uuid


def kv(items):
    out = {}
    for it in items or []:
        k, _, v = it.partition("=")
        out[k] = v
    return out


def log_lines(path):
    """CRI log lines are '<time> <stream> <F|P> <text>'."""
    out = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split(" ", 3)
                out.append(parts[3] if len(parts) == 4 else line.rstrip("\n"))
    except OSError:
        pass
    return "\n".join(out)


def proc_status(pid):
    want = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("Uid", "CapBnd", "CapEff", "NoNewPrivs", "Seccomp"):
                want[k] = v.strip()
    return want


def main():
    sock, stubs = sys.argv[1], sys.argv[2]
    sys.path.insert(0, stubs)
    import grpc
    import cri_pb2 as pb
    import cri_pb2_grpc as rpc

    ap = argparse.ArgumentParser(prog="cri_client.py")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("version")
    p = sub.add_parser("pod")
    p.add_argument("--name", required=True)
    p.add_argument("--namespace", required=True)
    p.add_argument("--image", required=True)
    p.add_argument("--logdir", required=True)
    p.add_argument("--annotation", action="append")
    p.add_argument("--container-annotation", action="append")
    p.add_argument("--host-network", action="store_true")
    p.add_argument("--add-cap", action="append")
    p.add_argument("--privileged", action="store_true")
    p.add_argument("--runc-root")
    p.add_argument("--exec")
    p.add_argument("argv", nargs="+")
    a = ap.parse_args(sys.argv[3:])

    channel = grpc.insecure_channel("unix://" + sock)
    rt = rpc.RuntimeServiceStub(channel)
    if a.cmd == "version":
        v = rt.Version(pb.VersionRequest(version="v1"), timeout=30)
        print(json.dumps({"runtime_name": v.runtime_name, "runtime_version": v.runtime_version,
                          "runtime_api_version": v.runtime_api_version}))
        return 0

    result = {}
    stage = "RunPodSandbox"
    sandbox = container = None
    node = pb.NamespaceOption(network=pb.NODE if a.host_network else pb.POD, pid=pb.CONTAINER, ipc=pb.POD)
    logdir = os.path.join(a.logdir, "%s_%s" % (a.namespace, a.name))
    os.makedirs(logdir, exist_ok=True)
    sbconfig = pb.PodSandboxConfig(
        metadata=pb.PodSandboxMetadata(name=a.name, uid=str(uuid.uuid4()), namespace=a.namespace, attempt=0),
        hostname="" if a.host_network else a.name,
        log_directory=logdir,
        annotations=kv(a.annotation),
        linux=pb.LinuxPodSandboxConfig(security_context=pb.LinuxSandboxSecurityContext(
            namespace_options=node, privileged=a.privileged)))
    try:
        sandbox = rt.RunPodSandbox(pb.RunPodSandboxRequest(config=sbconfig), timeout=120).pod_sandbox_id
        result["sandbox"] = sandbox
        if a.runc_root:
            st = json.loads(subprocess.run(["runc", "--root", a.runc_root, "state", sandbox], check=True,
                                           capture_output=True, text=True).stdout)
            result["sandbox_status"] = proc_status(st["pid"])
        stage = "CreateContainer"
        cconfig = pb.ContainerConfig(
            metadata=pb.ContainerMetadata(name="c", attempt=0),
            image=pb.ImageSpec(image=a.image),
            command=a.argv,
            annotations=kv(a.container_annotation),
            log_path="c.log",
            linux=pb.LinuxContainerConfig(security_context=pb.LinuxContainerSecurityContext(
                capabilities=pb.Capability(add_capabilities=a.add_cap or []),
                privileged=a.privileged,
                namespace_options=node)))
        container = rt.CreateContainer(pb.CreateContainerRequest(pod_sandbox_id=sandbox, config=cconfig,
                                                                 sandbox_config=sbconfig), timeout=120).container_id
        result["container"] = container
        stage = "StartContainer"
        rt.StartContainer(pb.StartContainerRequest(container_id=container), timeout=120)
        if a.exec:
            stage = "ExecSync"
            r = rt.ExecSync(pb.ExecSyncRequest(container_id=container, cmd=["sh", "-c", a.exec], timeout=60),
                            timeout=120)
            result["exec_exit_code"] = r.exit_code
            result["exec_output"] = (r.stdout + r.stderr).decode(errors="replace")
            stage = "StopContainer"
            rt.StopContainer(pb.StopContainerRequest(container_id=container, timeout=0), timeout=60)
        stage = "ContainerStatus"
        # the container's command is short; a bound, not a timing assertion
        for _ in range(600):
            st = rt.ContainerStatus(pb.ContainerStatusRequest(container_id=container), timeout=30).status
            if st.state == pb.CONTAINER_EXITED:
                break
            time.sleep(0.1)
        result["state"] = pb.ContainerState.Name(st.state)
        result["exit_code"] = st.exit_code
        result["output"] = log_lines(os.path.join(logdir, "c.log"))
        rc = 0
    except grpc.RpcError as e:
        result.update(error=e.details(), stage=stage)
        rc = 1
    finally:
        try:
            if container:
                rt.StopContainer(pb.StopContainerRequest(container_id=container, timeout=0), timeout=60)
                rt.RemoveContainer(pb.RemoveContainerRequest(container_id=container), timeout=60)
            if sandbox:
                rt.StopPodSandbox(pb.StopPodSandboxRequest(pod_sandbox_id=sandbox), timeout=60)
                rt.RemovePodSandbox(pb.RemovePodSandboxRequest(pod_sandbox_id=sandbox), timeout=60)
        except grpc.RpcError as e:
            result["cleanup_error"] = e.details()
            rc = 1
    print(json.dumps(result))
    return rc


if __name__ == "__main__":
    sys.exit(main())
