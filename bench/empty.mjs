// The start-up control: a module with nothing in it, to show what a bare
// module fetch and evaluation costs in a fresh browser context.
export const empty = true;
