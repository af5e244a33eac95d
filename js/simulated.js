export function createSimulatedWorkspace(){} export const SCENARIOS=[];
