/** `text` matched literally inside a regular expression (user input in `$regex` filters). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
