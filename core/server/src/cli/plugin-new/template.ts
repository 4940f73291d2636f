/** What a template is given: the plugin id, its name without the kind prefix and a title. */
export interface TemplateInput {
  id: string;
  name: string;
  title: string;
}

/** A template: file path (relative to the package) → content. */
export type Template = (input: TemplateInput) => Record<string, string>;
