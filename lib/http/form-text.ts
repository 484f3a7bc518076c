/** A form field as text: "" when it is missing or a file, never "[object File]". */
export function formText(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}
