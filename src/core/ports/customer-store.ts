/** The customer register: by account or id, search, import in bulk. */
export interface CustomerStore {}
