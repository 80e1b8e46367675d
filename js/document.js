// The npm face's row check, one boundary call per row instead of two per
// field (src/wasm/mod.rs, `Document::all_text`). The rule itself (which
// kinds a field may hold) is the core's: a `false` here sends the row
// through its field-by-field check.

/** Whether every member `names` of `object` is a string, null or absent. */
export function allText(object, names) {
  for (let i = 0; i < names.length; i++) {
    const value = object[names[i]];
    if (value != null && typeof value !== "string") return false;
  }
  return true;
}
