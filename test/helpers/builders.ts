/** Named builders for the inputs tests need. */
import type { NewTicket } from '../../src/core/tickets/create-ticket.js';

/** A hotline complaint taken by a centre agent for a demo customer (幸福家园, 新城 branch). */
export function hotlineComplaint(over: Partial<NewTicket> = {}): NewTicket {
  return {
    kind: 'complaint',
    category: 'no_heat',
    source: 'hotline',
    description: '暖气不热，室温只有15度',
    firstResponder: 'staff:agent01',
    customerAccount: '1010000000',
    ...over,
  };
}

export const DEMO_CUSTOMER = { account: '1010000000', communityId: 'c001', branchId: 'xincheng' };

/** A small CSV of demo customers. */
export function customersCsv(rows: string[]): string {
  return `${['account,name,phone,address,community,building,unit,room,area_m2', ...rows].join('\n')}\n`;
}
