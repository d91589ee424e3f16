import type { ProgramReport } from '../../modules/insights/schemas';
import { FunnelChart } from '../charts';

/** The referral funnel, codes → rewarded, as a chart whose description lists every count. */
export function ReferralFunnel({ funnel: f, title }: { funnel: ProgramReport['funnel']; title: string }) {
  return (
    <FunnelChart
      title={title}
      description={`Codes ${f.codes}, shares ${f.shares}, clicks ${f.clicks}, attributed ${f.attributed}, qualified ${f.qualified}, rewarded ${f.rewarded}.`}
      stages={[
        { label: 'Codes', count: f.codes },
        { label: 'Shares', count: f.shares },
        { label: 'Clicks', count: f.clicks },
        { label: 'Attributed', count: f.attributed },
        { label: 'Qualified', count: f.qualified },
        { label: 'Rewarded', count: f.rewarded },
      ]}
    />
  );
}
