/**
 * Image references of the 3FS containers.
 *
 * Alibaba publishes one image per component under `ghcr.io/aliyuncontainerservice/alibabacloud-3fs/`:
 * `3fs-mgmtd`, `3fs-meta`, `3fs-storage`, `3fs-fuse`, `3fs-admin-cli`, and `3fs-init` (admin_cli plus curl
 * and python3; the post-deploy check and the chain-health exporter run in it) — deploy/container/docker-bake.hcl group "default" and
 * Dockerfile target `init` of alibabacloud-3FS ab363af. Its build workflow pushes the tag
 * `main` for every commit on main (and `pr-<n>` for pull requests); there are no release tags. `main`
 * moves, so a stack should also pin each image's digest: a storage pod that restarts on a new node must
 * not silently run a newer build than the other replicas of its chains. A digest names one image, so
 * digests are per component; the tag is shared.
 *
 * Pure module: no cloud SDK imports.
 */
import type { ImageComponent, ImageSettings } from "./types";

/** Alibaba's image repository prefix (lowercase: OCI repository names must be). */
export const DEFAULT_IMAGE_REGISTRY = "ghcr.io/aliyuncontainerservice/alibabacloud-3fs";

/** The only tag Alibaba's workflow publishes for the main branch (moving: pin digests with it). */
export const PUBLISHED_TAG = "main";

/** The image components, in the order they are listed in docs and errors. */
export const IMAGE_COMPONENTS: readonly ImageComponent[] = ["mgmtd", "meta", "storage", "fuse", "admin-cli", "init"];

/** Tags that move by convention and are refused outright. */
const MOVING_TAGS: ReadonlySet<string> = new Set(["latest", "dev"]);

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$/;

/**
 * Checks the image settings: a lowercase registry/path prefix, a valid tag that is not latest/dev (a
 * digest in `tag` is refused: one digest cannot name five images), and `sha256:<64 hex>` digests.
 * @throws Error naming the bad field
 */
export function validateImages(images: ImageSettings): void {
  const registry = images.registry.replace(/\/+$/, "");
  if (!REGISTRY.test(registry)) throw new Error(`images.registry '${images.registry}' must be a lowercase registry/path prefix`);
  if (images.tag.includes("@") || images.tag.startsWith("sha256:")) {
    throw new Error(`images.tag '${images.tag}' holds a digest; a digest names one image, set images.digests.<component> instead`);
  }
  if (!TAG.test(images.tag)) throw new Error(`images.tag '${images.tag}' is not a valid tag`);
  if (MOVING_TAGS.has(images.tag.toLowerCase())) throw new Error(`images.tag '${images.tag}' moves; pin a version tag and digests`);
  for (const [component, digest] of Object.entries(images.digests ?? {})) {
    if (!(IMAGE_COMPONENTS as readonly string[]).includes(component)) throw new Error(`images.digests.${component}: not a 3FS image (${IMAGE_COMPONENTS.join(", ")})`);
    if (!DIGEST.test(String(digest))) throw new Error(`images.digests.${component} '${digest}' must be sha256:<64 lowercase hex>`);
  }
}

/** Full image reference of one 3FS component, e.g. `…/3fs-storage:main@sha256:…`. @throws Error for bad settings. */
export function imageRef(images: ImageSettings, component: ImageComponent): string {
  validateImages(images);
  const digest = images.digests?.[component];
  return `${images.registry.replace(/\/+$/, "")}/3fs-${component}:${images.tag}${digest ? `@${digest}` : ""}`;
}

/**
 * Checks a full image reference given by the user (the fio image): it must carry a tag other than
 * latest/dev, or a sha256 digest. An untagged reference would be an implicit `:latest`.
 * @throws Error when the image is not pinned
 */
export function validatePinnedImage(image: string): void {
  const at = image.indexOf("@");
  if (at >= 0) {
    if (!DIGEST.test(image.slice(at + 1))) throw new Error(`image '${image}' has a malformed digest`);
    return;
  }
  const last = image.slice(image.lastIndexOf("/") + 1);
  const colon = last.lastIndexOf(":");
  const tag = colon >= 0 ? last.slice(colon + 1) : "";
  if (!TAG.test(tag) || MOVING_TAGS.has(tag.toLowerCase())) throw new Error(`image '${image}' must be pinned to a version tag or a digest`);
}

/** Pull policy: IfNotPresent unless the stack asks otherwise (a pinned image never changes). */
export function pullPolicy(images: ImageSettings): "IfNotPresent" | "Always" {
  return images.pullPolicy ?? "IfNotPresent";
}
