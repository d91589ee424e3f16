import { integer, text, timestamp } from 'drizzle-orm/pg-core';

/** Tenant column: leads every primary key and index so tables can be distributed by merchant. */
export const merchantId = () => text().notNull();

export const createdAt = () => timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const updatedAt = () => timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const instant = () => timestamp({ withTimezone: true, mode: 'date' });

/** Points are integers; balances default to zero. */
export const points = () => integer().notNull().default(0);
