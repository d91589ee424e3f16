// postgres.js 3.4.9 src/queue.js as published (Unlicense; reformatted), kept to measure the drift it causes.
// biome-ignore-all lint/complexity/noCommaOperator: the published code, kept as it is
export default Queue;

function Queue(initial = []) {
  let xs = initial.slice();
  let index = 0;

  return {
    get length() {
      return xs.length - index;
    },
    remove: (x) => {
      const index = xs.indexOf(x);
      return index === -1 ? null : (xs.splice(index, 1), x);
    },
    push: (x) => (xs.push(x), x),
    shift: () => {
      const out = xs[index++];

      if (index === xs.length) {
        index = 0;
        xs = [];
      } else {
        xs[index - 1] = undefined;
      }

      return out;
    },
  };
}
