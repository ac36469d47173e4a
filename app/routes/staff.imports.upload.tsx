// POST /staff/imports/upload: a CSV upload (multipart). A resource route, so the browser's XHR gets
// JSON ({ jobId } or { error }); a plain form post without JavaScript gets a redirect.
import fs from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  redirect,
  unstable_composeUploadHandlers,
  unstable_createFileUploadHandler,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type NodeOnDiskFile,
} from "@remix-run/node";
import { importsDir } from "~/models/import-files.server";
import { importUploadSchema } from "~/schemas/imports";
import { startImport } from "~/services/import-jobs.server";
import { requireRole } from "~/utils/auth.server";

/** Up to 4 GiB per file: a 10-million-row purchase file is about 600 MB. */
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  return Response.json({ maxBytes: MAX_UPLOAD_BYTES });
}

export async function action({ request }: ActionFunctionArgs) {
  // The role is checked before a single byte of the upload is read.
  const user = await requireRole(request, "staff");
  const wantsJson = (request.headers.get("Accept") ?? "").includes("application/json");
  const fail = (error: string, status = 400) =>
    wantsJson ? Response.json({ error }, { status }) : redirect(`/staff/imports?error=${encodeURIComponent(error)}`);
  let originalName = "upload.csv";
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_composeUploadHandlers(
        unstable_createFileUploadHandler({
        directory: importsDir(),
        maxPartSize: MAX_UPLOAD_BYTES,
        file: ({ filename }) => {
          originalName = path.basename(filename || originalName);
          return `upload-${crypto.randomUUID()}.csv`;
        },
      }),
        // The small text fields (kind, mode).
        unstable_createMemoryUploadHandler({ maxPartSize: 1024 }),
      ),
    );
  } catch {
    return fail("imports.uploadFailed", 413);
  }
  const file = form.get("file") as NodeOnDiskFile | string | null;
  if (!file || typeof file === "string" || file.size === 0) return fail("imports.chooseFile");
  const parsed = importUploadSchema.safeParse({ kind: form.get("kind"), mode: form.get("mode") ?? undefined });
  if (!parsed.success) {
    fs.rmSync(file.getFilePath(), { force: true });
    return fail("imports.chooseKind");
  }
  const jobId = await startImport({ ...parsed.data, fileName: originalName, uploadedPath: file.getFilePath(), staffUserId: user.id });
  return wantsJson ? Response.json({ jobId }) : redirect(`/staff/imports/${jobId}`);
}
