/**
 * Whether an incident's card stands for a ticket's own card. A report linked as it was filed (a
 * no-heat report from a community an open incident covers) never had a card: 2,000 of them must
 * not make 2,000 cards, so its steps and its resident's words go to the incident's card and the
 * ticket's timeline only, and page nobody. A report that had its card before it was linked (by
 * the declaration, or by staff from the card) keeps it, and the card follows it to the end. A
 * linked report reopened after the repair (still cold) is an ordinary ticket again.
 *
 * Linked at filing is read from the ticket itself: intake accepts such a report in the instant it
 * creates it, which no person's accept can do.
 */
export interface LinkedLike {
  incidentId?: number | null;
  reopenCount?: number;
  createdAt?: Date;
  acceptedAt?: Date | null;
}

export function incidentStandsFor(t: LinkedLike): boolean {
  return t.incidentId != null && !t.reopenCount && t.createdAt !== undefined && t.acceptedAt?.getTime() === t.createdAt.getTime();
}
