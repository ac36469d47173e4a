// `portal results SURVEY_ID [--segment SEGMENT] [--json]`: a survey's results from the same model
// function as the results page (getSurveyResults), as one JSON object or as a short summary.
import { parseArgs } from "node:util";
import { getSurveyResults, parseResultGroup, resultGroups, resultsAsJson } from "~/models/survey-results.server";
import { getSurvey } from "~/models/surveys.server";
import { UsageError } from "./data-commands";

const usage = `Usage: npm run portal -- results SURVEY_ID [--segment SEGMENT] [--json]
       SEGMENT: ${resultGroups.join(", ")}`;

export async function resultsCommand(args: string[]) {
  const { values, positionals } = parseArgs({ args, options: { segment: { type: "string" }, json: { type: "boolean" } }, allowPositionals: true });
  const [id] = positionals;
  if (!id || !/^\d+$/.test(id) || positionals.length > 1) throw new UsageError(usage);
  const group = values.segment === undefined ? null : parseResultGroup(values.segment);
  if (values.segment !== undefined && group === null) throw new UsageError(`Unknown segment: ${values.segment}\n${usage}`);
  const survey = await getSurvey(Number(id));
  if (!survey) throw new UsageError(`No survey has the id ${id}.`);
  const results = resultsAsJson(await getSurveyResults(survey.id, group));
  if (values.json) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  console.log(`${survey.title.en || survey.title.ja}${group ? ` (${group})` : ""}: ${results.responses} responses`);
  if (results.nps) console.log(`NPS ${results.nps.score ?? "—"} (95% ${results.nps.low ?? "—"} to ${results.nps.high ?? "—"}, n = ${results.nps.n})`);
  for (const [name, c] of Object.entries(results.constructs)) {
    console.log(`  ${name.padEnd(20)} mean ${c.mean ?? "—"}  alpha ${c.alpha === null ? "—" : c.alpha.toFixed(3)}  complete ${c.complete}  items ${c.items}`);
  }
}
