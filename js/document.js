// The npm face's row check, one boundary call per row instead of two per
// field (`Body::all_text` in src/sansio/call.rs). The rule itself (which
// kinds a field may hold) is the core's: a `false` here sends the row
// through its field-by-field check.

/** Whether every member `names` of `object` is a string, null or absent; false when a read throws. */
export function allText(object, names) {
  try {
    for (let i = 0; i < names.length; i++) {
      const value = object[names[i]];
      if (value != null && typeof value !== "string") return false;
    }
    return true;
  } catch {
    // A getter that throws (on a prototype): the core's own reads catch it.
    return false;
  }
}
