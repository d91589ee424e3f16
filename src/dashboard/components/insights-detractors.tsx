import type { DetractorComment } from '../../modules/feedback/list-detractor-comments';
import { formatInstant } from '../format';

/** The service-recovery list: who to call back, what they said, when. */
export function DetractorComments(props: { rows: DetractorComment[]; timeZone: string }) {
  if (props.rows.length === 0) {
    return <p class="muted">No detractor left a comment in this period.</p>;
  }
  return (
    <table class="detractors">
      <caption>Newest first: NPS answers scored 0–6 with a comment</caption>
      <thead>
        <tr>
          <th scope="col">Customer</th>
          <th scope="col" class="num">
            Score
          </th>
          <th scope="col">Comment</th>
          <th scope="col">Answered</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr data-response={r.id}>
            <th scope="row">
              <a href={`/dashboard/customers/${encodeURIComponent(r.customerId)}`}>
                {r.customerName ?? r.customerId}
              </a>
              {r.customerName && <span class="muted block">{r.customerId}</span>}
            </th>
            <td class="num">{`${r.score} / 10`}</td>
            <td class="comment">{r.comment}</td>
            <td>
              <time datetime={r.respondedAt.toISOString()}>
                {formatInstant(r.respondedAt, props.timeZone)}
              </time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
