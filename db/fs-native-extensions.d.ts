// The part of fs-native-extensions' API the portal uses (the package ships no type declarations).
declare module "fs-native-extensions" {
  /** Takes an exclusive (or, with `shared`, a shared) lock on an open file; false when another holds it. */
  export function tryLock(fd: number, options?: { shared?: boolean }): boolean;
}
