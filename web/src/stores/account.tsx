/**
 * Stores that live exactly as long as one signed-in user: created when the user's pages mount,
 * disposed (with the realtime connection) on logout, so nothing leaks from one user to the next.
 */
import { createContext, onCleanup, useContext, type JSX } from "solid-js";
import { realtime } from "../lib/realtime";
import { createBalanceStore, type BalanceStore } from "./balance";
import { createCatalogStore, type CatalogStore } from "./catalog";

interface AccountStores {
  balance: BalanceStore;
  catalog: CatalogStore;
}

const AccountContext = createContext<AccountStores>();

export function AccountProvider(props: { children: JSX.Element }) {
  const stores: AccountStores = { balance: createBalanceStore(), catalog: createCatalogStore() };
  realtime.start();
  onCleanup(() => realtime.stop());
  return <AccountContext.Provider value={stores}>{props.children}</AccountContext.Provider>;
}

export function useAccount(): AccountStores {
  const stores = useContext(AccountContext);
  if (!stores) throw new Error("useAccount() outside AccountProvider");
  return stores;
}
