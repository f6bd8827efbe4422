/** What the bots and pages show: a ticket with its events, photos, form and callbacks (the card and status views), lists and pages of tickets. */
export interface ReadModels {}
