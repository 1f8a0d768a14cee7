/** Told after a commit that changed comments: hands new events to the queue, refreshes caches. */
export interface ChangeNotifier {
  /** `eventIds`: the outbox events the commit wrote, when known (saves the relay a lookup). */
  committed(change: { siteId: string; articleId: string; threadChanged: boolean; eventIds?: string[] }): Promise<void>;
}
