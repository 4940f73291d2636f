export {
  createRegistry,
  type ExternalPlugin,
  type Registry,
  type RegistryOptions,
} from './create-registry.ts';
export type { ContextBase, MakeContext, MakeSetupApi } from './lifecycle.ts';
export type { Declared, PluginInfo, PluginStatus, StopReport } from './types.ts';
