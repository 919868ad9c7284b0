"""USRBIO probe: the smallest program that exercises what the 3FS USRBIO API needs from its environment.

The 3FS images ship neither libhf3fs_api_shared.so nor its Python binding nor the fio engine
(alibabacloud-3FS ab363af deploy/container/Dockerfile builds only the five server/CLI binaries), so this
probe speaks the API's file protocol itself, as src/lib/api/UsrbIo.cc does, without doing ring I/O:

1. find the 3FS mount like hf3fs_extract_mount_point (UsrbIo.cc:44-105): a `fuse.hf3fs` entry of
   /proc/self/mountinfo whose directory holds `3fs-virt`;
2. open the FUSE daemon's submit semaphore the way hf3fs_iorcreate does (cqeSem, UsrbIo.cc:330-368): the
   link <mount>/3fs-virt/iovs/submit-ios names /dev/shm/sem.hf3fs-submit-ios.<uuid>, which the daemon created
   in ITS /dev/shm (src/fuse/IoRing.h:217-226) — it exists here only if both share one /dev/shm;
3. hold a directory handle on <mount>/3fs-virt/iovs for the process's lifetime, as the library does
   (UsrbIo.cc:173-178): the daemon drops a process's buffers when its last handle there is released
   (src/fuse/FuseOps.cc:1815-1829), which is also why this probe never lists the directory;
4. create and register a buffer like hf3fs_iovcreate (UsrbIo.cc:107-181, src/lib/common/Shm.cc:149-170):
   a file /dev/shm/hf3fs-iov-<uuid> (what shm_open creates), then a symlink to it at
   <mount>/3fs-virt/iovs/<uuid>; the daemon stats and maps the target in its own namespace and registers it
   for RDMA (src/fuse/IovTable.cc:124-242): the symlink fails if it cannot. Read the registration back (an
   iov is visible to its owner uid only, IovTable.cc:267-301), deregister it (unlink the symlink,
   IovTable.cc:244-265) and remove the buffer;
6. write and read back a small file in THREEFS_DIR through the FUSE mount (the tenant's directory).

Exit status 0 when every step passes; each step prints one line.
"""

import mmap
import os
import sys
import uuid

SIZE = 1 << 20


def step(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        sys.exit(1)


def hf3fs_mounts():
    """Mount points of fuse.hf3fs file systems that show 3fs-virt (UsrbIo.cc:61-90)."""
    out = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 10 or parts[-3] != "fuse.hf3fs":
                continue
            mp = os.path.normpath(parts[4])
            if os.path.basename(mp) == "3fs-virt":
                out.append(os.path.dirname(mp))
            elif os.path.isdir(os.path.join(mp, "3fs-virt")):
                out.append(mp)
    return out


def main():
    want = os.environ.get("THREEFS_MOUNT", "/mnt/3fs")
    work = os.environ.get("THREEFS_DIR", want)
    mounts = hf3fs_mounts()
    step(want in mounts, f"3FS is mounted at {want} (fuse.hf3fs with 3fs-virt; found {mounts or 'none'})")
    iovs = os.path.join(want, "3fs-virt", "iovs")

    sem = os.readlink(os.path.join(iovs, "submit-ios"))
    step(sem.startswith("/dev/shm/sem.") and os.path.exists(sem), f"the FUSE daemon's submit semaphore {sem} is visible here (one /dev/shm)")

    alive = os.open(iovs, os.O_RDONLY | os.O_DIRECTORY)
    key = str(uuid.uuid4())
    shm = f"/dev/shm/hf3fs-iov-{key}"
    fd = os.open(shm, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.ftruncate(fd, SIZE)
        with mmap.mmap(fd, SIZE) as buf:
            buf[:8] = b"3fs-usrb"
        link = os.path.join(iovs, key)
        try:
            os.symlink(shm, link)
        except OSError as e:
            step(False, f"register a {SIZE >> 20} MiB buffer with the FUSE daemon (symlink {link} -> {shm}): {e}")
        try:
            step(os.readlink(link).endswith(f"hf3fs-iov-{key}"), f"the FUSE daemon registered the buffer {key} (uid {os.getuid()})")
        finally:
            os.unlink(link)
        step(not os.path.lexists(link), "the buffer is deregistered")
    finally:
        os.close(fd)
        os.unlink(shm)
        os.close(alive)

    os.makedirs(work, exist_ok=True)
    path = os.path.join(work, f".usrbio-probe-{key}")
    with open(path, "wb") as f:
        f.write(b"x" * 4096)
    with open(path, "rb") as f:
        data = f.read()
    os.unlink(path)
    step(data == b"x" * 4096, f"wrote and read back 4 KiB in {work} through the FUSE mount")
    print("USRBIO environment ok: same /dev/shm as the FUSE daemon, buffers register, the directory is writable")


if __name__ == "__main__":
    main()
