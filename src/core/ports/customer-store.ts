import type { Customer } from '../model.js';

/** A customer as the register file gives it: everything but the row's own id and times. */
export type CustomerFields = Omit<Customer, 'id' | 'createdAt' | 'updatedAt'>;

/** The customer register: by account or id, by phone, import in bulk. */
export interface CustomerStore {
  /** How many customers the register holds. */
  count(): Promise<number>;
  byAccount(account: string): Promise<Customer | null>;
  /** Read on every report of a bound resident. */
  byId(id: number): Promise<Customer | null>;
  /** Customers with exactly this phone number, at most `limit` (lowest id first). */
  byPhone(phone: string, limit: number): Promise<Customer[]>;
  /**
   * One part of a register import in one short transaction: accounts not yet known are created,
   * known ones take the given fields. Accounts must be distinct. `at` is the new rows' creation
   * time and every row's update time.
   */
  upsertByAccount(rows: readonly CustomerFields[], at: Date): Promise<{ created: number; updated: number }>;
}
