// Turns on single-fetch types for useLoaderData / useActionData (Remix's v3_singleFetch flag).
import "@remix-run/node";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
