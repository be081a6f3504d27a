import { z } from '@hono/zod-openapi';

export const StatsQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30).openapi({ description: 'How many days of created_per_day, ending today (UTC)' }),
});

export const StatsSchema = z
  .object({
    total_numbers: z.number().int(),
    total_categories: z.number().int(),
    by_category: z.array(z.object({ id: z.number().int(), name: z.string(), count: z.number().int() })),
    created_per_day: z
      .array(z.object({ date: z.string(), count: z.number().int() }))
      .openapi({ description: 'Numbers filed each day (UTC) that are still filed, oldest first; days without any are left out' }),
    imports: z.object({
      total: z.number().int(),
      running: z.number().int(),
      completed: z.number().int(),
      failed: z.number().int(),
      last_finished_at: z.string().nullable(),
    }),
  })
  .openapi('Stats');

export type Stats = z.infer<typeof StatsSchema>;
