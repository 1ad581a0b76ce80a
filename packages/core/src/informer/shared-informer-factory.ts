/**
 * One informer per resource for a whole process, like client-go's
 * SharedInformerFactory: controllers that read the same kind share one
 * list+watch and one cache instead of opening their own.
 */
import type { ResourceRef } from "../client/index.js";
import type { KubeObject } from "../api/object.js";
import { Informer, type InformerOptions } from "./informer.js";
import type { ListWatcher } from "./list-watcher.js";

export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();

  constructor(
    private readonly client: ListWatcher,
    private readonly options: InformerOptions = {},
  ) {}

  /** The process-wide informer of a resource (full objects, all namespaces). */
  informerFor<T extends KubeObject = KubeObject>(ref: ResourceRef): Informer<T> {
    const key = `${ref.group}/${ref.version}/${ref.plural}`;
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer<KubeObject>(this.client, ref, this.options);
      this.informers.set(key, informer);
    }
    return informer as unknown as Informer<T>;
  }
}
