/**
 * The files residents send the bot, fetched for staff (the Slack app uploads them into the card's
 * thread): Bot API getFile names the file's path, then GET {apiRoot}/file/bot<token>/<path>
 * gives its bytes. The Bot API hands out files up to 20 MB; a larger or vanished file is null
 * (the thread says it could not be fetched), network trouble and Telegram's 5xx or 429 throw so
 * the outbox tries again.
 */
import { Api, GrammyError } from 'grammy';
import type { ResidentFile, ResidentFiles } from '../../delivery/resident-files.js';

export interface TelegramFilesOptions {
  token: string;
  /** TELEGRAM_API_ROOT, as for the bot */
  apiRoot?: string;
}

const DEFAULT_ROOT = 'https://api.telegram.org';

export class TelegramFiles implements ResidentFiles {
  private readonly api: Api;
  private readonly root: string;

  constructor(private readonly o: TelegramFilesOptions) {
    this.root = (o.apiRoot ?? DEFAULT_ROOT).replace(/\/$/, '');
    this.api = new Api(o.token, { apiRoot: this.root });
  }

  async fetch(fileId: string, kind: 'photo' | 'audio'): Promise<ResidentFile | null> {
    let path: string | undefined;
    try {
      path = (await this.api.getFile(fileId)).file_path;
    } catch (e) {
      // 400: no such file, or too big for the Bot API to hand out: asking again will not help
      if (e instanceof GrammyError && e.error_code === 400) return null;
      throw e;
    }
    if (!path) return null;
    const res = await fetch(`${this.root}/file/bot${this.o.token}/${path}`);
    if (res.status === 404 || res.status === 400) return null;
    if (!res.ok) throw new Error(`file download: HTTP ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const name = path.split('/').pop() || (kind === 'photo' ? 'photo.jpg' : 'voice.ogg');
    return { bytes, filename: name, mime: mimeOf(name, kind) };
  }
}

function mimeOf(name: string, kind: 'photo' | 'audio'): string {
  const ext = name.split('.').pop()?.toLowerCase();
  if (ext === 'png') return 'image/png';
  if (ext === 'jpg' || ext === 'jpeg') return 'image/jpeg';
  if (ext === 'oga' || ext === 'ogg') return 'audio/ogg';
  if (ext === 'mp3') return 'audio/mpeg';
  if (ext === 'mp4') return 'video/mp4';
  return kind === 'photo' ? 'image/jpeg' : 'application/octet-stream';
}
