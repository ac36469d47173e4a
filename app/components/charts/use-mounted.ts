import { useEffect, useState } from "react";

/** Charts measure the page, so they render after hydration; until then a placeholder keeps the space. */
export function useMounted() {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}
