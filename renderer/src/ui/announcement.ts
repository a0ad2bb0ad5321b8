// One answer for the live region (LiveAnnouncer.tsx) to say.
export interface Announcement {
  /** Bumped per answer. */
  id: number;
  text: string;
  /** Said at once, interrupting (a refusal); otherwise after what is being read. */
  urgent: boolean;
}
