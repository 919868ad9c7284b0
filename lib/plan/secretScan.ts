/**
 * Finds credentials in plan files that are not marked secret: a PEM private key, an Alibaba Cloud
 * AccessKey, or a credential-named field (token, password, client key, kubeconfig, …) whose value is not
 * "[secret]". Used by the tests over every committed stack's resources.json and outputs.json.
 *
 * Pure module: no cloud SDK imports.
 */

/** Values that are always credentials. */
const VALUE_PATTERNS: readonly [string, RegExp][] = [
  ["PEM private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  // AccessKey ids start with LTAI (Alibaba Cloud RAM AccessKey format); their secrets travel with them.
  ["AccessKey id", /\bLTAI[0-9A-Za-z]{12,30}\b/],
  ["bearer token in a kubeconfig", /\btoken:\s*[^\s"'[]+/],
];

/** Field names whose values are credentials. */
const SECRET_FIELDS = /^(token|password|clientKey|client_key|privateKey|accessKeySecret|secretKey|secretAccessKey|kubeconfig|kubeConfig|stringData)$/;

/** One line per unmarked credential: JSON path and what it is. */
export function findUnmarkedSecrets(value: unknown, path = "$"): string[] {
  if (value === "[secret]" || value === null || value === undefined) return [];
  if (typeof value === "string") {
    return VALUE_PATTERNS.filter(([, re]) => re.test(value)).map(([what]) => `${path}: ${what} outside a secret`);
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findUnmarkedSecrets(v, `${path}[${i}]`));
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
      const here = `${path}.${k}`;
      if (SECRET_FIELDS.test(k) && v !== "[secret]" && v !== "" && !isEmptyObject(v) && !allSecret(v)) return [`${here}: credential field outside a secret`];
      // alicloud.ram.AccessKey's output is named `secret`; outputs.json rows also have a boolean `secret` flag.
      if (k === "secret" && typeof v === "string" && v !== "[secret]" && v !== "") return [`${here}: credential field outside a secret`];
      return findUnmarkedSecrets(v, here);
    });
  }
  return [];
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && Object.values(v).every((x) => x === "" || x === null);
}

/** An object whose every leaf is "[secret]" (a Secret's stringData), or an outputs.json row marked secret. */
function allSecret(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  if (o.secret === true && o.value === "[secret]") return true;
  return Object.values(o).every((x) => x === "[secret]");
}
