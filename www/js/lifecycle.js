// Which status changes an account's lifecycle status allows, and why not:
// a button the status does not allow is disabled with its reason shown.

const IN_PROGRESS = "a change is already in progress; wait until it ends";

/**
 * `{ s, a, t }`: null when the change to that code is allowed, else the
 * reason it is not. An unknown code allows everything (the server decides).
 */
export function statusActions(code) {
  switch (code) {
    case "a":
    case "n":
      return { s: null, a: "the account is not suspended", t: null };
    case "s":
    case "m":
      return { s: "the account is already suspended", a: null, t: null };
    case "t":
      return { s: "the account is terminated", a: "a terminated account cannot be reactivated", t: "the account is already terminated" };
    case "c":
      return {
        s: "the account is still being created",
        a: "the account is still being created",
        t: "the account is still being created; wait until it is Active",
      };
    case "b":
    case "r":
      return { s: "the account is broken: only termination is possible", a: "the account is broken: only termination is possible", t: null };
    case "p":
    case "d":
    case "u":
    case "v":
      return { s: IN_PROGRESS, a: IN_PROGRESS, t: IN_PROGRESS };
    default:
      return { s: null, a: null, t: null };
  }
}
