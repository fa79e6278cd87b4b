/** A user's saved preferences, kept in the shared store so they follow the user to any replica and browser. */
import { z } from 'zod';

export const SavedQuery = z.object({
  name: z.string().trim().min(1, 'A saved query needs a name.').max(80),
  query: z.string().trim().min(1).max(10_000),
});
export type SavedQuery = z.infer<typeof SavedQuery>;

export const Preferences = z
  .object({
    theme: z.enum(['system', 'light', 'dark']).optional(),
    /** Logs Insights queries the user saved, beside the presets. */
    insightsQueries: z.array(SavedQuery).max(50, 'At most 50 saved queries.').optional(),
  })
  .strict();
export type Preferences = z.infer<typeof Preferences>;

export const PreferencesResponse = z.object({ preferences: Preferences });
export type PreferencesResponse = z.infer<typeof PreferencesResponse>;
