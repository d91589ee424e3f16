/**
 * The storefront widget, served as `GET /widget.js`: one custom element, `<plaudit-rewards>`,
 * in plain modern JavaScript (no build step, no framework, no third-party requests). It talks
 * only to `api-base` with the publishable key and the customer token. Everything it shows is
 * set with textContent, never parsed as HTML, so reward names cannot inject markup.
 *
 * Written without backticks or dollar-brace so it can live in this String.raw literal.
 */
export const WIDGET_JS = String.raw`/*! Plaudit rewards widget: <plaudit-rewards api-base publishable-key customer-token> */
(() => {
  'use strict';
  if (!window.customElements || customElements.get('plaudit-rewards')) return;

  const CSS = ':host{display:block;font-family:var(--plaudit-font,system-ui,-apple-system,"Segoe UI",sans-serif);' +
    'color:var(--plaudit-fg,#1f2328);--_a:var(--plaudit-accent,#5b3df5);--_r:var(--plaudit-radius,12px);' +
    '--_b:var(--plaudit-border,#d0d7de);--_m:var(--plaudit-muted,#57606a);line-height:1.4}' +
    ':host([hidden]){display:none}*{box-sizing:border-box}' +
    '.card{background:var(--plaudit-bg,#fff);border:1px solid var(--_b);border-radius:var(--_r);' +
    'padding:var(--plaudit-padding,1.25rem);max-width:var(--plaudit-max-width,30rem)}' +
    'h2{font-size:1.1rem;margin:0 0 .75rem}h3{font-size:.95rem;margin:1.25rem 0 .5rem}p{margin:.25rem 0}' +
    '.bal{font-size:2rem;font-weight:700;margin:0}.muted{color:var(--_m);font-size:.875rem}' +
    '.tier{display:inline-block;background:var(--_a);color:var(--plaudit-accent-contrast,#fff);' +
    'border-radius:999px;padding:.1rem .6rem;font-size:.8rem;font-weight:600}' +
    '.bar{height:.5rem;background:var(--plaudit-track,#eaeef2);border-radius:999px;overflow:hidden;margin:.4rem 0}' +
    '.fill{height:100%;background:var(--_a);border-radius:inherit;transition:width .4s}' +
    '@media (prefers-reduced-motion:reduce){.fill{transition:none}}' +
    '.warn{color:var(--plaudit-warning,#9a6700)}.err{color:var(--plaudit-error,#b42318)}' +
    'button,.btn{font:inherit;font-size:.9rem;font-weight:600;background:var(--_a);' +
    'color:var(--plaudit-accent-contrast,#fff);border:1px solid var(--_a);border-radius:calc(var(--_r)/1.5);' +
    'padding:.45rem .9rem;min-height:2.25rem;cursor:pointer;text-decoration:none;display:inline-block;white-space:nowrap}' +
    'button.alt{background:transparent;color:var(--_a)}button:disabled{opacity:.45;cursor:not-allowed}' +
    ':focus-visible{outline:3px solid var(--plaudit-focus,var(--_a));outline-offset:2px}' +
    'input{font:inherit;font-size:.9rem;flex:1;min-width:0;padding:.45rem .6rem;border:1px solid var(--_b);' +
    'border-radius:calc(var(--_r)/1.5);background:transparent;color:inherit}' +
    '.row{display:flex;gap:.5rem;align-items:center}ul{list-style:none;margin:0;padding:0}' +
    'li{display:flex;justify-content:space-between;align-items:center;gap:.75rem;padding:.6rem 0;border-top:1px solid var(--_b)}' +
    '.note{margin-top:1rem;padding:.6rem .75rem;border-radius:calc(var(--_r)/1.5);background:var(--plaudit-note-bg,#f6f8fa)}' +
    '.code{white-space:nowrap;user-select:all;font-family:ui-monospace,monospace}' +
    '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}';

  // Builds an element; props starting with "on" are listeners, others attributes. Text is text.
  const h = (tag, props, ...kids) => {
    const el = document.createElement(tag);
    for (const k in props || {}) {
      const v = props[k];
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const kid of kids.flat()) if (kid !== null && kid !== undefined && kid !== false) el.append(kid);
    return el;
  };
  let ids = 0;
  const uid = (p) => 'plaudit-' + p + '-' + ++ids;

  class PlauditRewards extends HTMLElement {
    static get observedAttributes() {
      return ['api-base', 'publishable-key', 'customer-token', 'locale', 'sign-in-url'];
    }

    constructor() {
      super();
      this.root = this.attachShadow({ mode: 'open' });
      this.root.append(h('style', { text: CSS }));
      this.card = h('section', { class: 'card', part: 'card', 'aria-busy': 'true' });
      // One live region that outlives every re-render, so changes are announced.
      this.status = h('p', { class: 'sr', role: 'status', 'aria-live': 'polite' });
      this.root.append(this.card, this.status);
      this.gen = 0;
    }

    connectedCallback() {
      this.schedule();
    }

    attributeChangedCallback(_name, before, after) {
      if (before !== after && this.isConnected) this.schedule();
    }

    schedule() {
      if (this.pending) return;
      this.pending = true;
      queueMicrotask(() => {
        this.pending = false;
        this.load();
      });
    }

    attr(name) {
      return (this.getAttribute(name) || '').trim();
    }

    get locale() {
      return this.attr('locale') || navigator.language || 'en';
    }

    num(n) {
      return new Intl.NumberFormat(this.locale).format(n);
    }

    pts(n) {
      return this.num(n) + (n === 1 ? ' point' : ' points');
    }

    date(iso) {
      return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium' }).format(new Date(iso));
    }

    announce(text) {
      this.status.textContent = '';
      setTimeout(() => {
        this.status.textContent = text;
      }, 50);
    }

    emit(type, detail) {
      this.dispatchEvent(new CustomEvent('plaudit:' + type, { detail, bubbles: true, composed: true }));
    }

    async api(method, path, body) {
      const headers = {
        Authorization: 'Bearer ' + this.attr('publishable-key'),
        'X-Customer-Token': this.attr('customer-token'),
      };
      if (body) {
        headers['Content-Type'] = 'application/json';
        headers['Idempotency-Key'] = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
      }
      const base = this.attr('api-base').replace(/\/+$/, '');
      const res = await fetch(base + path, {
        method,
        headers,
        body: body ? JSON.stringify(body) : undefined,
        credentials: 'omit',
      });
      const data = await res.json().catch(() => null);
      if (!res.ok) {
        const error = new Error((data && (data.detail || data.title)) || 'Request failed (' + res.status + ')');
        error.status = res.status;
        error.problem = data;
        throw error;
      }
      return data;
    }

    async load() {
      const gen = ++this.gen;
      if (!this.attr('customer-token')) return this.show(this.signedOut());
      if (!this.attr('api-base') || !this.attr('publishable-key')) {
        return this.show(this.message('The rewards widget needs api-base and publishable-key.', 'err'));
      }
      this.card.setAttribute('aria-busy', 'true');
      try {
        const [me, rewards] = await Promise.all([this.api('GET', '/v1/me'), this.api('GET', '/v1/me/rewards')]);
        if (gen !== this.gen) return;
        const before = this.me && this.me.points.available;
        this.me = me;
        this.rewards = rewards.data;
        this.show(this.view());
        if (before !== undefined && before !== me.points.available) {
          this.announce('Your balance is now ' + this.pts(me.points.available) + '.');
        }
      } catch (error) {
        if (gen !== this.gen) return;
        this.fail(error);
      }
    }

    fail(error) {
      if (error.status === 401) {
        this.emit('token-expired', {});
        this.show(this.signedOut('Your session has ended. Refresh the page to see your rewards.'));
      } else {
        this.emit('error', { status: error.status, problem: error.problem });
        this.show(this.message('Rewards could not be loaded right now. Please try again later.', 'err'));
      }
    }

    show(content) {
      this.card.replaceChildren(content);
      this.card.removeAttribute('aria-busy');
    }

    message(text, cls) {
      return h('p', { class: cls, part: 'message', text });
    }

    signedOut(text) {
      const url = this.attr('sign-in-url');
      return h(
        'div',
        { part: 'signed-out' },
        h('h2', { text: 'Rewards' }),
        h('p', { text: text || 'Sign in to see your points, your tier and the rewards waiting for you.' }),
        url && h('p', {}, h('a', { class: 'btn', part: 'button', href: url, text: 'Sign in' })),
      );
    }

    view() {
      const me = this.me;
      return h(
        'div',
        {},
        h('h2', { text: me.name ? 'Your rewards, ' + me.name : 'Your rewards' }),
        h('p', { class: 'bal', part: 'balance', text: this.pts(me.points.available) }),
        me.points.pending > 0 && h('p', { class: 'muted', text: this.pts(me.points.pending) + ' pending' }),
        this.tierView(me),
        me.expiringSoon &&
          h('p', {
            class: 'warn',
            part: 'expiring',
            text: this.pts(me.expiringSoon.points) + ' expire on ' + this.date(me.expiringSoon.at) + '.',
          }),
        this.referralView(me),
        this.rewardsView(me),
        (this.notice = h('div', { part: 'notice' })),
      );
    }

    tierView(me) {
      const next = me.nextTier;
      const tier = me.tier && h('p', {}, h('span', { class: 'tier', part: 'tier', text: me.tier.name }));
      if (!next) return tier;
      const pct = Math.round(next.progress * 100);
      const labelId = uid('progress');
      return h(
        'div',
        {},
        tier,
        h('p', { id: labelId, class: 'muted', text: this.pts(next.pointsNeeded) + ' to ' + next.name }),
        h(
          'div',
          {
            class: 'bar',
            part: 'progress',
            role: 'progressbar',
            'aria-labelledby': labelId,
            'aria-valuemin': 0,
            'aria-valuemax': 100,
            'aria-valuenow': pct,
          },
          h('div', { class: 'fill', style: 'width:' + pct + '%' }),
        ),
      );
    }

    referralView(me) {
      const title = h('h3', { text: 'Refer a friend' });
      if (!me.referralCode) {
        return h(
          'div',
          {},
          title,
          h('button', { class: 'alt', part: 'button', type: 'button', onclick: (e) => this.createCode(e.currentTarget) }, 'Get my referral link'),
        );
      }
      const inputId = uid('link');
      const input = h('input', { id: inputId, readonly: true, value: me.referralLink || me.referralCode, part: 'input' });
      const copy = h('button', { type: 'button', part: 'button', onclick: () => this.copy(input, copy) }, 'Copy');
      return h('div', {}, title, h('label', { class: 'sr', for: inputId, text: 'Your referral link' }), h('div', { class: 'row' }, input, copy));
    }

    rewardsView(me) {
      if (!this.rewards.length) return h('div', {}, h('h3', { text: 'Rewards' }), this.message('No rewards yet.', 'muted'));
      return h(
        'div',
        {},
        h('h3', { text: 'Rewards' }),
        h('ul', { part: 'rewards' }, this.rewards.map((r) => this.rewardView(r, me))),
      );
    }

    rewardView(r, me) {
      const reason = !r.eligible
        ? 'For ' + (r.minTier || 'higher tier') + ' members'
        : !r.inStock
          ? 'Out of stock'
          : !r.affordable
            ? this.pts(r.pointsNeeded) + ' more needed'
            : '';
      const reasonId = uid('why');
      const can = r.eligible && r.inStock && r.affordable;
      const button =
        me.storefrontRedemption &&
        h(
          'button',
          {
            type: 'button',
            part: 'button redeem',
            disabled: !can,
            'aria-describedby': reason ? reasonId : null,
            'aria-label': 'Redeem ' + r.name + ' for ' + this.pts(r.costPoints),
            onclick: (e) => this.redeem(r, e.currentTarget),
          },
          'Redeem',
        );
      return h(
        'li',
        { part: 'reward' },
        h(
          'div',
          {},
          h('p', { text: r.name }),
          h('p', { class: 'muted', text: this.pts(r.costPoints) }),
          reason && h('p', { id: reasonId, class: 'muted', text: reason }),
        ),
        button,
      );
    }

    async copy(input, button) {
      let ok = false;
      try {
        await navigator.clipboard.writeText(input.value);
        ok = true;
      } catch {
        input.focus();
        input.select();
        try {
          ok = document.execCommand('copy');
        } catch {
          ok = false;
        }
      }
      button.textContent = ok ? 'Copied!' : 'Press Ctrl+C';
      this.announce(ok ? 'Referral link copied.' : 'Copy failed: the link is selected, press Ctrl+C to copy it.');
      setTimeout(() => {
        button.textContent = 'Copy';
      }, 2000);
    }

    async createCode(button) {
      button.disabled = true;
      try {
        await this.api('POST', '/v1/me/referral-code', {});
        await this.load();
        this.announce('Your referral link is ready.');
      } catch (error) {
        button.disabled = false;
        this.say(error.message, 'err');
      }
    }

    // Two steps: the first press asks, the second spends the points.
    async redeem(reward, button) {
      if (button.dataset.confirm !== '1') {
        button.dataset.confirm = '1';
        button.textContent = 'Confirm';
        this.announce('Press again to spend ' + this.pts(reward.costPoints) + ' on ' + reward.name + '.');
        setTimeout(() => {
          if (button.isConnected && button.dataset.confirm === '1') {
            button.dataset.confirm = '';
            button.textContent = 'Redeem';
          }
        }, 6000);
        return;
      }
      button.disabled = true;
      try {
        const redemption = await this.api('POST', '/v1/me/redemptions', { rewardId: reward.id });
        this.emit('redeemed', redemption);
        await this.load();
        this.say(reward.name + ': your code is ', 'ok', redemption.couponCode || 'on its way');
      } catch (error) {
        if (error.status === 401) return this.fail(error);
        button.disabled = false;
        button.dataset.confirm = '';
        button.textContent = 'Redeem';
        this.say(error.message, 'err');
      }
    }

    say(text, kind, code) {
      if (!this.notice) return this.announce(text);
      const note = h('p', { class: 'note ' + kind, tabindex: -1 }, text, code && h('strong', { class: 'code', text: code }));
      this.notice.replaceChildren(note);
      // The pressed button was re-rendered away: keep keyboard focus somewhere meaningful.
      if (kind === 'ok') note.focus();
      this.announce(text + (code || ''));
    }
  }

  customElements.define('plaudit-rewards', PlauditRewards);
})();
`;
