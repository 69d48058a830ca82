"""layerfd_client.py image: a consumer of the compatible methods (api-contract sections 3.1-3.3) that proves every
layer of an image arrives byte-exact: GetImage, then per layer GetSplitFDStream and GetLayerSplitfdstream, each
stream reassembled (inline bytes, and each external fd's whole file read with pread from offset 0) and its sha256
compared with the config's rootfs.diff_ids (base first), mapped by position onto layerDigests (top first)."""

import json
import os

import layerfd_client
import rpc

MEDIA_TYPE = "application/vnd.containers.splitfdstream"
SHORT_ID_CHARS = 12


def _open_fds():
    return len(os.listdir("/proc/self/fd"))


def _reassemble(client, method, params):
    """(result, "sha256:<hex>", length, content fd count) of one stream; closes every fd it got."""
    result, fds = client.call(method, params)
    try:
        if not fds:
            raise AssertionError("%s answered no fds" % method)
        sha = layerfd_client.hashlib.sha256()
        length = 0
        content = fds[1:]
        for kind, value in layerfd_client.StreamReader(fds[0]).chunks():
            if kind == "inline":
                sha.update(value)
                length += len(value)
            elif value >= len(content):
                raise AssertionError("external index %d, but only %d content fds" % (value, len(content)))
            else:
                length += layerfd_client.copy_file(content[value], sha)
        return result, "sha256:" + sha.hexdigest(), length, len(content)
    finally:
        rpc.close_all(fds)


def run(path, image):
    """[(check name, None or failure, detail)]."""
    results = []
    before = _open_fds()
    client = layerfd_client.Client(path)
    try:
        try:
            found, _ = client.call("GetImage", {"imageId": image})
            diff_ids = json.loads(found["config"])["rootfs"]["diff_ids"]
            layers = found["layerDigests"]
            if len(diff_ids) != len(layers) or not layers:
                raise AssertionError("%d layers but %d diff_ids" % (len(layers), len(diff_ids)))
            results.append(("get_image", None, "%d layers" % len(layers)))
        except (AssertionError, KeyError, ValueError, layerfd_client.RpcError) as e:
            results.append(("get_image", str(e), ""))
            return results
        for layer, expected in zip(layers, reversed(diff_ids)):
            tag = "[%s]" % layer[:SHORT_ID_CHARS]
            for method, params, name in (("GetSplitFDStream", {"layerId": layer}, "get_split_fd_stream"),
                                         ("GetLayerSplitfdstream", {"layer": layer}, "get_layer_splitfdstream")):
                try:
                    result, digest, length, content = _reassemble(client, method, params)
                    if method == "GetLayerSplitfdstream" and result.get("mediaType") != MEDIA_TYPE:
                        raise AssertionError("mediaType %r" % result.get("mediaType"))
                    if digest != expected:
                        raise AssertionError("reassembled %s (%d bytes), the config says %s" % (digest, length, expected))
                    results.append((name + tag, None, "%s %d bytes, %d content fds" % (digest, length, content)))
                except (AssertionError, OSError, layerfd_client.RpcError, layerfd_client.fdpass.ProtocolError) as e:
                    results.append((name + tag, str(e), ""))
    finally:
        client.close()
        after = _open_fds()
        results.append(("no_fd_leak", None if after == before else "%d fds open before, %d after" % (before, after),
                        ""))
    return results


def main(path, image):
    results = run(path, image)
    for name, failure, detail in results:
        if failure is None:
            print("PASS %s%s" % (name, ": " + detail if detail else ""), flush=True)
        else:
            print("FAIL %s: %s" % (name, failure), flush=True)
    failed = sum(1 for _, failure, _ in results if failure is not None)
    print("%d passed, %d failed" % (len(results) - failed, failed), flush=True)
    return 1 if failed else 0
