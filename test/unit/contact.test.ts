// The "contact" flag of a message: real Russian spellings of phones, e-mails and links, and what
// must stay unflagged (prices, dates, task numbers, ordinary prose).
import { describe, expect, it } from 'vitest';
import { looksLikeContact } from '../../shared/conversations/contact';

const contacts = [
  'Позвоните мне: +7 (999) 123-45-67',
  'мой номер 8 999 1234567',
  '89991234567',
  '+79991234567 звоните после шести',
  '8-999-123-45-67',
  '7 999 123 45 67',
  'звони 999 123-45-67',
  'рабочий +7 495 123 45 67',
  'whatsapp +44 20 7946 0958',
  'пишите на ivan.petrov@mail.ru',
  'IVAN@YANDEX.RU',
  'имя собака mail.ru',
  'ivan собака mail точка ru',
  'ivan (at) gmail dot com',
  'ivan[at]yandex[dot]ru',
  'мой телеграм t.me/ivan_petrov',
  'https://example.com/portfolio',
  'смотрите www.mysite.ru',
  'сайт petrov-design.ru, там всё есть',
  'пишите на мой-сайт.рф',
  'vk.com/id12345',
  'wa.me/79991234567',
  'в телеге @ivan_petrov',
];

const ordinary = [
  'Стоимость 1500 ₽, срок три дня',
  'Могу сделать за 1 500,00 руб.',
  'Итого 12 500 000,00 ₽ за весь проект',
  'Сдам 01.12.2026 до обеда',
  'с 01.12.2026 по 15.12.2026',
  'Это похоже на задание №34, сделаю так же',
  'по заданию № 1234567 вопросов нет',
  'Готово на 100%, т.е. можно принимать, и т.д.',
  'Моя собака съела черновик, пришлю завтра.',
  'Работаю at home, отвечу быстро. Спасибо',
  'Версия 2.0.1 уже в архиве',
  'Прислал 3 файла по 150 страниц',
  'Время 10:30, созвон не нужен',
  'Оплата 2500.50 ₽ после приёмки',
];

describe('looksLikeContact', () => {
  it.each(contacts)('flags %s', (text) => {
    expect(looksLikeContact(text)).toBe(true);
  });

  it.each(ordinary)('does not flag %s', (text) => {
    expect(looksLikeContact(text)).toBe(false);
  });
});
