// Sending a survey: choose recipients (everyone, a CPM segment, a quadrant, a shortlist, or a list), invite each once with a
// personal link through the outbox, and remind once those who have not answered. Each chunk of
// invitations, their links and their emails commits together.
import { getDb, type Db } from "../../db/client.server";
import { cpmSegments, type CpmSegment } from "../domain/cpm";
import type { RecipientSelection } from "../domain/survey/recipients";
import { sendRefusal } from "../domain/survey/status";
import type { SurveyLocale } from "../domain/survey/types";
import {
  createInvitations,
  createLinks,
  dueReminderRecipients,
  invitationCountsBySegment,
  markReminded,
  recipientCounts,
  surveysDueReminders,
  uninvitedRecipients,
  unknownExternalIds,
  type Recipient,
} from "../models/invitations.server";
import { enqueueEmails, type OutgoingEmail } from "../models/outbox.server";
import { countOpenLinkResponses } from "../models/responses.server";
import { latestJob, type Job } from "../models/jobs.server";
import { getSurvey, type Survey } from "../models/surveys.server";
import { enqueue, registerJobKind } from "./jobs/runner.server";
import { hashToken, newToken } from "../utils/crypto.server";
import { publicUrl } from "../utils/unsubscribe.server";

export type { RecipientSelection };

export interface RecipientPreview {
  selected: number;
  eligible: number;
  noEmail: number;
  noConsent: number;
  alreadyInvited: number;
  /** Ids in a pasted list that match no customer (the first 20). */
  unknownIds: string[];
  unknownCount: number;
}

export async function previewRecipients(surveyId: number, selection: RecipientSelection, db: Db = getDb()): Promise<RecipientPreview> {
  const counts = await recipientCounts(surveyId, selection, db);
  let unknownIds: string[] = [];
  let unknownCount = 0;
  if (selection.kind === "list" && selection.externalIds.length > 0) {
    const unknown = await unknownExternalIds(selection.externalIds, db);
    unknownCount = unknown.length;
    unknownIds = unknown.slice(0, 20);
  }
  return { ...counts, unknownIds, unknownCount };
}

const CHUNK = 2000;

export interface InviteResult {
  invited: number;
  suppressed: number;
}

/**
 * Invites every eligible recipient not yet invited. Safe to run again (after a crash, a double click):
 * the unique (survey, customer) index and the emails' idempotency keys invite nobody twice.
 */
export async function inviteRecipients(
  surveyId: number,
  selection: RecipientSelection,
  db: Db = getDb(),
  onChunk?: (result: InviteResult) => void,
): Promise<InviteResult> {
  const survey = await getSurvey(surveyId, db);
  if (!survey || sendRefusal(survey)) throw new Error("the survey is not open");
  const result: InviteResult = { invited: 0, suppressed: 0 };
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const batch = await uninvitedRecipients(surveyId, selection, CHUNK, tx);
      if (batch.length === 0) return true;
      const sent = await inviteBatch(survey, batch, "survey-invitation", tx);
      result.invited += sent.queued;
      result.suppressed += sent.suppressed;
      return batch.length < CHUNK;
    });
    onChunk?.(result);
    if (done) return result;
  }
}

export interface SendProgress {
  status: "running" | "done" | "failed";
  /** Eligible recipients when the send started. */
  total: number;
  invited: number;
  suppressed: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** The job that runs the send (app/services/jobs/runner.server.ts). */
  jobId: number;
}

// A send is a job of the runner: its progress is in the job's row, so every process (and a restart)
// sees it; a send cut off by a crash is run again (the invitations are idempotent), up to three times.
const SEND_KIND = "survey_send";
const sendKey = (surveyId: number) => `survey_send:${surveyId}`;

registerJobKind(SEND_KIND, {
  async run(payload, context) {
    const { surveyId, selection } = payload as { surveyId: number; selection: RecipientSelection };
    const result = await inviteRecipients(surveyId, selection, getDb(), (r) => context.progress({ ...context.current, ...r }));
    return { ...result };
  },
});

function progressOf(job: Job): SendProgress {
  const p = job.progress as { total?: number; invited?: number; suppressed?: number };
  return {
    status: job.status === "done" ? "done" : job.status === "failed" ? "failed" : "running",
    total: p.total ?? 0,
    invited: p.invited ?? 0,
    suppressed: p.suppressed ?? 0,
    error: job.error,
    startedAt: (job.startedAt ?? job.createdAt).toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    jobId: job.id,
  };
}

/**
 * Queues the send and returns at once, so a big send shows a progress bar instead of holding the
 * request. A second start while one is queued or running (a double click, two staff) is that one.
 */
export async function startInvitations(surveyId: number, selection: RecipientSelection, db: Db = getDb()): Promise<SendProgress> {
  const { eligible } = await previewRecipients(surveyId, selection, db);
  const { job } = await enqueue(SEND_KIND, { surveyId, selection }, { uniqueKey: sendKey(surveyId), maxAttempts: 3, progress: { total: eligible, invited: 0, suppressed: 0 } });
  return progressOf(job);
}

/** The survey's latest send, from its job's row (null when it was never sent this way). */
export async function sendProgress(surveyId: number): Promise<SendProgress | null> {
  const job = await latestJob(SEND_KIND, sendKey(surveyId));
  return job ? progressOf(job) : null;
}

async function inviteBatch(survey: Survey, recipients: Recipient[], template: "survey-invitation" | "survey-reminder", db: Db) {
  const expiresAt = new Date(Date.now() + survey.linkDays * 86_400_000);
  const customerIds = recipients.map((r) => r.id);
  const invitations =
    template === "survey-invitation" ? await createInvitations(survey.id, customerIds, db) : await markReminded(survey.id, customerIds, db);
  const byCustomer = new Map(recipients.map((r) => [r.id, r]));
  const links = invitations.map((inv) => ({ invitationId: inv.id, customer: byCustomer.get(inv.customerId)!, token: newToken() }));
  if (links.length === 0) return { queued: 0, suppressed: 0, duplicates: 0 };
  await createLinks(links.map((l) => ({ tokenHash: hashToken(l.token), invitationId: l.invitationId })), expiresAt, db);
  const minutes = Math.max(1, Math.round(survey.questions.length / 4));
  const emails: OutgoingEmail[] = links.map(({ customer, token }) => {
    const locale: SurveyLocale = customer.locale === "en" ? "en" : "ja";
    return {
      template,
      idempotencyKey: `${template}:${survey.id}:${customer.id}`,
      to: customer.email,
      customerId: customer.id,
      locale,
      data: {
        customerName: customer.name,
        surveyTitle: survey.title[locale] || survey.title.ja,
        surveyUrl: publicUrl(`s/${token}`),
        expiresAt: expiresAt.toISOString(),
        estimatedMinutes: minutes,
      },
    };
  });
  return enqueueEmails(emails, db);
}

/** Reminds, once, everyone invited at least `reminderDays` ago who has not answered (open surveys only). */
export async function sendDueReminders(db: Db = getDb()): Promise<number> {
  const due = await surveysDueReminders(db);
  let reminded = 0;
  for (const surveyId of due) {
    const survey = await getSurvey(surveyId, db);
    if (!survey) continue;
    for (;;) {
      const count = await db.transaction(async (tx) => {
        const batch = await dueReminderRecipients(survey.id, survey.reminderDays, CHUNK, tx);
        if (batch.length > 0) await inviteBatch(survey, batch, "survey-reminder", tx);
        return batch.length;
      });
      reminded += count;
      if (count < CHUNK) break;
    }
  }
  return reminded;
}

export interface ResponseCounts {
  segment: CpmSegment | null;
  invited: number;
  opened: number;
  answered: number;
}

/** Invited, opened and answered, overall (segment null) and per current CPM segment: the reaction rate of DESIGN §2. */
export async function responseCounts(surveyId: number, db: Db = getDb()): Promise<{ overall: ResponseCounts; bySegment: ResponseCounts[]; openLink: number }> {
  const rows = await invitationCountsBySegment(surveyId, db);
  const openLink = await countOpenLinkResponses(surveyId, db);
  const strip = ({ total: _total, ...counts }: ResponseCounts & { total: boolean }) => counts;
  const total = rows.find((r) => r.total);
  const overall = total ? strip(total) : { segment: null, invited: 0, opened: 0, answered: 0 };
  const bySegment = rows
    .filter((r) => !r.total && r.segment !== null)
    .map(strip)
    .sort((a, b) => cpmSegments.indexOf(a.segment!) - cpmSegments.indexOf(b.segment!));
  return { overall, bySegment, openLink };
}
