// Surveys as files: an exported survey imports as a new draft with the same title and questions; a bad
// file writes nothing; and the `portal export|import survey` commands do the same from the shell.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.server";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { createSurvey, getSurvey, replaceQuestions, setSurveyStatus } from "~/models/surveys.server";
import { structureOf } from "~/schemas/survey";
import { exportSurveyFile, importSurveyFile } from "~/services/survey-file.server";
import { usingPostgres, useTestDatabase } from "../setup/db";

const counts = async () =>
  (await queryRows<{ surveys: number; questions: number }>(
    sql`select (select count(*)::int from surveys) as surveys, (select count(*)::int from survey_questions) as questions`,
  ))[0]!;

async function openTemplateSurvey() {
  const template = loyaltyTemplate();
  const id = await createSurvey({ ...template, layout: "all_on_one", linkDays: 21, reminderDays: null }, template.questions, null);
  await setSurveyStatus(id, "open");
  return id;
}

describe("survey files", () => {
  useTestDatabase();

  it("exports a survey and imports it as a new draft with the same title, settings and questions", async () => {
    const id = await openTemplateSurvey();
    const text = await exportSurveyFile(id);
    expect(text).not.toBeNull();
    const imported = await importSurveyFile(text!, null);
    expect(imported).toMatchObject({ ok: true, questions: loyaltyTemplate().questions.length });
    if (!imported.ok) return;
    expect(imported.id).not.toBe(id);
    const [original, copy] = [await getSurvey(id), await getSurvey(imported.id)];
    expect(copy).toMatchObject({ status: "draft", version: 1, previousId: null, answered: false, layout: "all_on_one", linkDays: 21, reminderDays: null });
    expect(copy!.title).toEqual(original!.title);
    expect(copy!.intro).toEqual(original!.intro);
    expect(copy!.questions).toEqual(original!.questions);
    expect(copy!.openToken).not.toBe(original!.openToken);
    // The same file again: byte for byte what the original exports.
    expect(await exportSurveyFile(imported.id)).toBe(text);
    expect(await exportSurveyFile(999_999)).toBeNull();
  });

  it("round-trips a survey saved by the builder (nulls for help and construct, a rating, a multiple choice)", async () => {
    const id = await openTemplateSurvey();
    const questions = [
      { key: "stars", type: "rating" as const, label: { ja: "評価", en: "Rating" }, help: null, required: true, construct: null, points: 7 },
      {
        key: "channels",
        type: "multiple" as const,
        label: { ja: "購入場所", en: "Where" },
        help: { ja: "複数選べます", en: "Choose any" },
        required: false,
        construct: null,
        options: [
          { value: "store", label: { ja: "店舗", en: "Store" } },
          { value: "online", label: { ja: "オンライン", en: "Online" } },
        ],
      },
      { key: "note", type: "short_text" as const, label: { ja: "一言", en: "A word" }, help: null, required: false, construct: null },
    ];
    expect(await replaceQuestions(id, questions, structureOf)).toEqual({ ok: true });
    const imported = await importSurveyFile((await exportSurveyFile(id))!, null);
    if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
    const copy = (await getSurvey(imported.id))!;
    expect(structureOf(copy.questions)).toBe(structureOf(questions));
    expect(copy.questions.map((q) => [q.label, q.help ?? null, q.options ?? null, q.points ?? null])).toEqual(
      questions.map((q) => [q.label, q.help, "options" in q ? q.options : null, "points" in q ? q.points : null]),
    );
  });

  it("writes nothing for a bad file and names the question and field", async () => {
    const id = await openTemplateSurvey();
    const before = await counts();
    const file = JSON.parse((await exportSurveyFile(id))!) as { questions: Record<string, unknown>[] };
    file.questions[3]!.points = 4;
    file.questions[4]!.colour = "red";
    const result = await importSurveyFile(JSON.stringify(file), null);
    expect(result).toEqual({
      ok: false,
      problems: [
        { path: "questions[3].points", message: "survey.builder.errors.badPoints", question: { index: 3, key: "pref2" } },
        { path: "questions[4].colour", message: "surveyFile.errors.unknownField", question: { index: 4, key: "cont1" } },
      ],
    });
    expect(await importSurveyFile("{ not json", null)).toMatchObject({ ok: false, problems: [{ message: "surveyFile.errors.invalidJson" }] });
    expect(await counts()).toEqual(before);
  });
});

describe("portal export|import survey", () => {
  const run = promisify(execFile);
  // The command opens its own embedded database, whatever the tests use: once, on the PGlite run, is enough.
  it.skipIf(usingPostgres)("exports to a file and to standard output, imports with the id alone on the last line, refuses a bad file with exit 1", { timeout: 180_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-survey-file-"));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, NODE_ENV: "test" as const, LANG: "en_US.UTF-8" };
    const portal = (...args: string[]) => run(path.resolve("node_modules/.bin/tsx"), ["app/cli/portal.ts", ...args], { env });
    try {
      const template = loyaltyTemplate();
      const source = path.join(dataDir, "template.json");
      fs.writeFileSync(source, JSON.stringify({ title: template.title, intro: template.intro, thanks: template.thanks, questions: template.questions }));
      const imported = await portal("import", "survey", source);
      const id = imported.stdout.trim().split("\n").at(-1);
      expect(id).toMatch(/^\d+$/);

      const exported = path.join(dataDir, "exported.json");
      await portal("export", "survey", id!, exported);
      const written = JSON.parse(fs.readFileSync(exported, "utf8")) as { title: unknown; questions: unknown[] };
      expect(written.title).toEqual(template.title);
      expect(written.questions).toEqual(template.questions);
      const toStdout = await portal("export", "survey", id!);
      expect(toStdout.stdout).toBe(fs.readFileSync(exported, "utf8"));

      const bad = path.join(dataDir, "bad.json");
      fs.writeFileSync(bad, JSON.stringify({ ...written, questions: [{ ...(written.questions[0] as object), colour: "red" }] }));
      const refused = await portal("import", "survey", bad).then(
        () => null,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(refused?.code).toBe(1);
      expect(refused?.stderr).toContain("questions[0].colour (question 1, key “attach1”): unknown field");
      expect(refused?.stdout).not.toMatch(/^\d+$/m);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
