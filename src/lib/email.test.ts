import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './email';

describe('normalizeEmail', () => {
  it.each([
    ['Ann@Example.COM', 'ann@example.com'],
    ['  ann@example.com  ', 'ann@example.com'],
    ['ann+newsletter@example.com', 'ann@example.com'],
    ['ann+a+b@example.com', 'ann@example.com'],
    ['A.B+x@GMail.com', 'ab@gmail.com'],
    ['a.b.c@gmail.com', 'abc@gmail.com'],
    ['a.b@googlemail.com', 'ab@gmail.com'],
    ['A.B+promo@GoogleMail.com', 'ab@gmail.com'],
  ])('reduces %s to the mailbox %s', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it('keeps dots outside Gmail, where they are part of the mailbox', () => {
    expect(normalizeEmail('first.last@example.com')).toBe('first.last@example.com');
    expect(normalizeEmail('first.last@gmail.co.uk')).toBe('first.last@gmail.co.uk');
  });

  it('keeps addresses that reach different mailboxes apart', () => {
    expect(normalizeEmail('ann@example.com')).not.toBe(normalizeEmail('ann@example.org'));
    expect(normalizeEmail('ann@gmail.com')).not.toBe(normalizeEmail('anne@gmail.com'));
  });

  it('is idempotent', () => {
    const once = normalizeEmail('X.Y+z@GoogleMail.com');
    expect(normalizeEmail(once)).toBe(once);
  });
});
