/** Told after a commit that changed comments: hands new events to the queue, refreshes caches. */
export interface ChangeNotifier {
  committed(change: { siteId: string; articleId: string; threadChanged: boolean }): Promise<void>;
}

export const noopNotifier: ChangeNotifier = { committed: async () => {} };
