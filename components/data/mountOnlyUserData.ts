/**
 * The default user data of a NoSqlCluster node until the bootstrap module supplies the real one:
 * it only formats (when blank) and mounts the data volume, so a node is usable for manual setup
 * and the volume is never left unmounted under the engine's data directory.
 */
import type { BootstrapContext } from "./bootstrap/types";

/** Seconds to wait for the data volume: it is attached after the instance starts booting. */
export const ATTACH_WAIT_SECONDS = 600;

const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;

export function mountOnlyUserData(ctx: Pick<BootstrapContext, "dataDevice" | "mountPoint" | "clusterName" | "nodeIndex">): string {
  for (const [field, value] of [["dataDevice", ctx.dataDevice], ["mountPoint", ctx.mountPoint]] as const) {
    if (!SAFE_PATH.test(value)) throw new Error(`${field}: "${value}" is not a plain absolute path`);
  }
  return `#!/bin/bash
# ${ctx.clusterName}-${ctx.nodeIndex}: mount the data volume; the engine is installed by its bootstrap.
set -euo pipefail
device="${ctx.dataDevice}"
mount_point="${ctx.mountPoint}"
waited=0
until [ -e "$device" ]; do
  if [ "$waited" -ge ${ATTACH_WAIT_SECONDS} ]; then
    echo "data volume $device not attached after ${ATTACH_WAIT_SECONDS}s" >&2
    exit 1
  fi
  sleep 5
  waited=$((waited + 5))
done
# Format only a blank volume: a replaced node must keep the data of the volume it re-attaches.
if ! blkid "$device" >/dev/null 2>&1; then
  mkfs.xfs -L data "$device"
fi
uuid="$(blkid -s UUID -o value "$device")"
mkdir -p "$mount_point"
if ! grep -q "UUID=$uuid " /etc/fstab; then
  echo "UUID=$uuid $mount_point xfs defaults,noatime,nofail 0 2" >> /etc/fstab
fi
mountpoint -q "$mount_point" || mount "$mount_point"
`;
}
