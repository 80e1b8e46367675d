// The npm face's drift check of a row (`Body::oddities` in
// src/sansio/call.rs), one boundary call per row; which names and codes are
// documented is the core's data, handed over once per client.

/**
 * What `object` holds beyond the documented `names` (its own keys that are
 * not there) and, for `codes` (`[name, [code, …], …]`), values outside their
 * set, leaving out what `seen` holds (what this body already reported; the
 * new entries are added to it): undefined when nothing new, the common row;
 * else `[name, value, …]`, the value undefined for a field (it is never
 * told) and the code for a code. The rule is the core's
 * (`drift::oddities`); this is its one-call-per-row form.
 */
export function oddities(object, names, codes, seen) {
  let found;
  try {
    for (const key of Object.keys(object)) {
      if (!names.includes(key) && !seen.includes(key)) {
        seen.push(key);
        (found ??= []).push(key, undefined);
      }
    }
    for (let i = 0; i < codes.length; i += 2) {
      const value = object[codes[i]];
      if (typeof value === "string" && !codes[i + 1].includes(value)) {
        const id = `${codes[i]}\u0000${value}`;
        if (!seen.includes(id)) {
          seen.push(id);
          (found ??= []).push(codes[i], value);
        }
      }
    }
  } catch {
    // A proxy or a getter that throws: nothing more is told of this row.
  }
  return found;
}
