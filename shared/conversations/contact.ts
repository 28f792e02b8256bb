// Does a message seem to carry a way to reach its author outside execorder (a phone number, an
// e-mail address, a link or a messenger handle)? A deal moved off the platform is not protected,
// so such a message is flagged `contact` and both parties see a warning; it is posted anyway, so
// a false alarm costs a warning, not a lost message. Prices, dates and task numbers must not match.

/** Russian numbers: +7 / 8 / 7 and ten digits, or a bare mobile 9xx xxx xx xx, with the usual separators. */
const RUSSIAN_PHONE = /(?<![\d+])(?:(?:\+\s?7|8|7)[\s-]*\(?\d{3}\)?|\(?9\d{2}\)?)[\s-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?![\d.,])/u;

/** Any international number: a plus and 10..15 digits. */
const INTERNATIONAL_PHONE = /\+\d(?:[\s().-]*\d){9,14}(?!\d)/u;

/** user@host.tld, also written out: "ivan собака mail.ru", "ivan (at) gmail dot com", "ivan[at]yandex[dot]ru". */
const EMAIL = new RegExp(
  String.raw`[\p{L}\d._%+-]+\s*(?:@|\(\s*(?:at|собака)\s*\)|\[\s*(?:at|собака)\s*\]|\s(?:at|собака|собачка)\s)\s*` +
    String.raw`[\p{L}\d-]+(?:(?:\.|\s?(?:\(dot\)|\[dot\]|\(точка\)|\[точка\])\s?|\s(?:dot|точка)\s)[\p{L}\d-]+)*` +
    String.raw`(?:\.|\s?(?:\(dot\)|\[dot\]|\(точка\)|\[точка\])\s?|\s(?:dot|точка)\s)\p{L}{2,}`,
  'iu',
);

/** Addresses with a scheme or www, and messenger and social links. */
const URL = /(?:\bhttps?:\/\/|\bwww\.|\b(?:t|telegram|wa|vk|ok)\.me\/|\bvk\.com\/|\bwa\.link\/)\S+/iu;

/** A bare domain (site.ru, мой-сайт.рф/page): the zones people actually give out, so that "т.е." or "01.12.2026" never match. */
const DOMAIN =
  /(?<![\p{L}\d@.-])[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.(?:ru|su|рф|рус|com|net|org|info|biz|io|me|pro|online|site|store|shop|dev|app|ua|by|kz|uz)(?![\p{L}\d-])/iu;

/** A Telegram-style @username (five or more characters), not the domain half of an e-mail. */
const HANDLE = /(?<![\p{L}\d._%+-])@[a-z][a-z\d_]{4,31}(?![\p{L}\d_])/iu;

const PATTERNS = [RUSSIAN_PHONE, INTERNATIONAL_PHONE, EMAIL, URL, DOMAIN, HANDLE];

export function looksLikeContact(text: string): boolean {
  return PATTERNS.some((pattern) => pattern.test(text));
}
