/** Residents of the bot: meet, bind (with its guess limit), locale and address. */
export interface ResidentStore {}
