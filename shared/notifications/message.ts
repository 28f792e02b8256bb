// What a notification says, before it becomes an e-mail or a Telegram message.
export interface Message {
  subject: string;
  /** Paragraphs of plain text; user-supplied values are inserted as they are and escaped per format. */
  paragraphs: string[];
  link: { url: string; label: string };
}
