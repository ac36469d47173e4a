// POST /staff/imports/upload: a CSV upload (multipart). A resource route, so the browser's XHR gets
// JSON ({ jobId } or { error }); a plain form post without JavaScript gets a redirect.
import fs from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  NodeOnDiskFile,
  redirect,
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { DiskMarginError, importMinFreeBytes, importsDir, receiveUpload } from "~/models/import-files.server";
import { importUploadSchema } from "~/schemas/imports";
import { startImport } from "~/services/import/jobs.server";
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
  // The request's size (the file and a few fields): the disk margin is checked against it before reading.
  const announced = Number(request.headers.get("Content-Length"));
  const dir = importsDir();
  let stored: string | null = null;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_composeUploadHandlers(
        async ({ name, filename, contentType, data }) => {
          // One file per upload: a second file part goes to the memory handler, which refuses it.
          if (name !== "file" || !filename || stored) return undefined;
          originalName = path.basename(filename);
          const received = await receiveUpload(data, {
            dir,
            expectedBytes: Number.isSafeInteger(announced) && announced > 0 ? announced : null,
            maxBytes: MAX_UPLOAD_BYTES,
            minFreeBytes: importMinFreeBytes(),
          });
          stored = received.path;
          // Remix's own file handler returns the same class, typed as a File.
          return new NodeOnDiskFile(received.path, contentType) as unknown as File;
        },
        // The small text fields (kind, mode).
        unstable_createMemoryUploadHandler({ maxPartSize: 1024 }),
      ),
    );
  } catch (error) {
    // A file already received when a later part failed goes too.
    if (stored) fs.rmSync(stored, { force: true });
    return error instanceof DiskMarginError ? fail("imports.diskFull", 413) : fail("imports.uploadFailed", 413);
  }
  const file = form.get("file") as NodeOnDiskFile | string | null;
  if (!file || typeof file === "string" || file.size === 0) {
    if (file && typeof file !== "string") fs.rmSync(file.getFilePath(), { force: true });
    return fail("imports.chooseFile");
  }
  const parsed = importUploadSchema.safeParse({ kind: form.get("kind"), mode: form.get("mode") ?? undefined });
  if (!parsed.success) {
    fs.rmSync(file.getFilePath(), { force: true });
    return fail("imports.chooseKind");
  }
  let jobId: number;
  try {
    jobId = await startImport({ ...parsed.data, fileName: originalName, uploadedPath: file.getFilePath(), staffUserId: user.id });
  } catch (error) {
    fs.rmSync(file.getFilePath(), { force: true });
    throw error;
  }
  return wantsJson ? Response.json({ jobId }) : redirect(`/staff/imports/${jobId}`);
}
