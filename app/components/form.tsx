// react-hook-form bound to a zod schema: the browser checks first, then the native form posts to the
// action (which re-checks with the same schema). Server field errors show beside the same fields.
import { zodResolver } from "@hookform/resolvers/zod";
import { useSubmit } from "@remix-run/react";
import type { FormEvent } from "react";
import { useForm, type DefaultValues, type FieldValues } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { z } from "zod";

export function useZodForm<S extends z.ZodType<FieldValues>>(
  schema: S,
  options: { defaultValues?: DefaultValues<z.input<S>>; serverErrors?: Record<string, string> } = {},
) {
  const { t } = useTranslation();
  const form = useForm<z.input<S>>({
    resolver: zodResolver(schema),
    defaultValues: options.defaultValues,
    mode: "onTouched",
  });
  const submit = useSubmit();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    // Submit through the button that was pressed, so its formMethod, name and value go along.
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const target = submitter?.form === event.currentTarget ? submitter : event.currentTarget;
    void form.handleSubmit(() => submit(target))(event);
  };
  /**
   * The message to show under a field: the browser's check first, then the server's. A message may be
   * several keys, one per line (a weak password: the reason, then suggestions), shown one after another.
   */
  const errorFor = (name: string): string | undefined => {
    const clientError = (form.formState.errors as Record<string, { message?: string } | undefined>)[name]?.message;
    const message = clientError ?? options.serverErrors?.[name];
    return message ? message.split("\n").map((key) => t(key, { defaultValue: key })).join(" ") : undefined;
  };
  return { ...form, onSubmit, errorFor };
}
