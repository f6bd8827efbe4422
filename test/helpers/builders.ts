/** Named builders for the inputs tests need. */
import type { NewTicket } from '../../src/core/tickets/create-ticket.js';
import type { CityRequestInput } from '../../src/core/open311/file-city-request.js';

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

/** A request as the 12345 platform (API client `city`) sends it: no heat at 幸福家园 (c001, 新城 branch), a named caller. */
export function cityRequestInput(over: Partial<CityRequestInput> = {}): CityRequestInput {
  return {
    clientId: 'city',
    serviceCode: 'no_heat',
    addressString: '幸福家园3号楼2单元501室',
    description: '暖气不热，家里很冷',
    firstName: '伟',
    lastName: '张',
    phone: '13800138000',
    attributes: {},
    ...over,
  };
}

export const DEMO_CUSTOMER = { account: '1010000000', communityId: 'c001', branchId: 'xincheng' };

/** A small CSV of demo customers. */
export function customersCsv(rows: string[]): string {
  return `${['account,name,phone,address,community,building,unit,room,area_m2', ...rows].join('\n')}\n`;
}
